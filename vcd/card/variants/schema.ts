/**
 * The JSON form of a card variant: its schema (written to vcd/card/variants/variant.schema.json by
 * codegen/generate.ts) and the schema's type definitions in one place.
 */

const bitRange = { type: 'array', items: { type: 'integer', minimum: 0, maximum: 31 }, minItems: 2, maxItems: 2, description: '[hi, lo] bit positions, most significant first.' };
const u32 = { type: 'integer', minimum: 0, maximum: 0xffffffff };
const u16 = { type: 'integer', minimum: 0, maximum: 0xffff };
const text = { type: 'string', minLength: 1 };
const access = { enum: ['RO', 'RW', 'WO', 'W1C'] };

const field = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'bits', 'description'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' },
    bits: bitRange,
    description: { type: 'string' },
    role: { type: 'string' },
    access,
    unsupported: { type: 'boolean' },
    values: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
  },
};

const windowDef = { type: 'object', required: ['offset', 'size', 'description'], additionalProperties: false, properties: { offset: u32, size: { type: 'integer', minimum: 4 }, description: { type: 'string' } } };

/** Identifies a variant file (and its format version). */
export const VARIANT_FORMAT = 'vgpu-lab card variant 1';

export const variantSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'vgpu-lab/card-variant.schema.json',
  title: 'vgpu-lab card variant',
  description: 'A virtual PCI graphics card of vgpu-lab as data: made by `npx vgpu-lab variant new`, checked by `npx vgpu-lab variant check`. The model, the C header and the manual are derived from it.',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'id', 'name', 'description', 'symbolPrefix', 'pci', 'bars', 'vramBytes', 'fifo', 'windows', 'dma', 'behaviour', 'tagFormat', 'registers', 'tags', 'interrupts', 'errors', 'pixelFormats', 'ramdac', 'refreshHz'],
  properties: {
    format: { const: VARIANT_FORMAT },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Short identifier (saved states, file names).' },
    name: text,
    description: { type: 'string' },
    symbolPrefix: { type: 'string', pattern: '^[A-Z][A-Z0-9]*$' },
    pci: {
      type: 'object', additionalProperties: false,
      required: ['vendorId', 'deviceId', 'revision', 'classCode', 'subsystemVendorId', 'subsystemId', 'interruptPin'],
      properties: {
        vendorId: { type: 'integer', minimum: 1, maximum: 0xfffe }, deviceId: u16, revision: { type: 'integer', minimum: 0, maximum: 255 },
        classCode: { type: 'integer', minimum: 0, maximum: 0xffffff }, subsystemVendorId: u16, subsystemId: u16, interruptPin: { type: 'integer', minimum: 0, maximum: 4 },
      },
    },
    bars: {
      type: 'array', minItems: 2, maxItems: 6,
      items: { type: 'object', additionalProperties: false, required: ['index', 'size', 'kind', 'prefetchable', 'description'], properties: { index: { type: 'integer', minimum: 0, maximum: 5 }, size: { type: 'integer', minimum: 0x20000 }, kind: { enum: ['registers', 'vram', 'vram-alias'] }, prefetchable: { type: 'boolean' }, description: { type: 'string' } } },
    },
    vramBytes: { type: 'integer', minimum: 0x100000 },
    fifo: { type: 'object', additionalProperties: false, required: ['inputDepth', 'outputDepth'], properties: { inputDepth: { type: 'integer', minimum: 1, maximum: 4096 }, outputDepth: { type: 'integer', minimum: 2, maximum: 256 } } },
    windows: {
      type: 'object', additionalProperties: false, required: ['fifo', 'gp'],
      properties: {
        fifo: windowDef,
        gp: { ...windowDef, required: [...windowDef.required, 'stride'], properties: { ...windowDef.properties, stride: { type: 'integer', minimum: 4 } } },
        bigEndianMirror: windowDef,
      },
    },
    dma: { type: 'object', additionalProperties: false, required: ['maxCount', 'addressAlign'], properties: { maxCount: { type: 'integer', minimum: 1, maximum: 0xffff }, addressAlign: { type: 'integer', minimum: 4 } } },
    behaviour: {
      type: 'object', additionalProperties: false, required: ['irqAck', 'commands'],
      description: 'Behavioural choices (see vcd/card/definition.ts Behaviour).',
      properties: { irqAck: { enum: ['w1c', 'read'] }, commands: { enum: ['dma', 'ring'] } },
    },
    tagFormat: {
      type: 'object', additionalProperties: false, required: ['tag', 'reserved', 'mode', 'count', 'modes', 'indexedGroupShift'],
      properties: {
        tag: bitRange, reserved: bitRange, mode: bitRange, count: bitRange,
        modes: { type: 'object', additionalProperties: false, required: ['hold', 'increment', 'indexed'], properties: { hold: { type: 'integer', minimum: 0 }, increment: { type: 'integer', minimum: 0 }, indexed: { type: 'integer', minimum: 0 } } },
        indexedGroupShift: { type: 'integer', minimum: 1, maximum: 5 },
      },
    },
    registers: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'offset', 'access', 'reset', 'group', 'description'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' }, offset: u32, access, reset: u32, group: { enum: ['control', 'memory', 'video', 'ramdac'] }, description: { type: 'string' },
          role: { type: 'string' }, onRead: { type: 'string' }, onWrite: { type: 'string' }, fields: { type: 'array', items: field },
        },
      },
    },
    tags: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['tag', 'name', 'description'],
        properties: {
          tag: { type: 'integer', minimum: 0 }, name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' }, description: { type: 'string' }, role: { type: 'string' },
          format: { enum: ['fixed16.16', 'color9.15', 'count12', 'xy12', 'mask', 'raw'] }, noop: { enum: ['zero', 'any'] }, reset: u32, fields: { type: 'array', items: field },
        },
      },
    },
    interrupts: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['bit', 'name', 'role', 'implemented', 'description'], properties: { bit: { type: 'integer', minimum: 0, maximum: 31 }, name: text, role: { enum: ['dma', 'sync', 'external', 'error', 'vretrace', 'scanline'] }, implemented: { type: 'boolean' }, description: { type: 'string' } } } },
    errors: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['bit', 'name', 'role', 'description'], properties: { bit: { type: 'integer', minimum: 0, maximum: 31 }, name: text, role: { enum: ['inFifo', 'outFifo', 'message', 'dma', 'master', 'inDmaOverwrite'] }, description: { type: 'string' } } } },
    pixelFormats: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'bytesPerPixel', 'readPixel', 'ramdac', 'description'],
        properties: {
          name: { enum: ['x8r8g8b8', 'r5g6b5', 'c8'] }, bytesPerPixel: { enum: [1, 2, 4] }, readPixel: { type: 'integer', minimum: 0 },
          dither: { type: 'object', additionalProperties: false, required: ['colorFormat', 'extension'], properties: { colorFormat: { type: 'integer', minimum: 0 }, extension: { type: 'integer', minimum: 0 } } },
          ramdac: { type: 'object', additionalProperties: false, required: ['pixelSize', 'colorFormat'], properties: { pixelSize: { type: 'integer', minimum: 0 }, colorFormat: { type: 'integer', minimum: 0 } } },
          channels: { type: 'object', additionalProperties: false, required: ['r', 'g', 'b'], properties: { r: bitRange, g: bitRange, b: bitRange } },
          description: { type: 'string' },
        },
      },
    },
    ramdac: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['index', 'name', 'reset', 'description'], properties: { index: { type: 'integer', minimum: 0, maximum: 0xffff }, name: text, reset: { type: 'integer', minimum: 0, maximum: 255 }, role: { enum: ['pixelSize', 'colorFormat'] }, description: { type: 'string' } } } },
    refreshHz: { type: 'integer', minimum: 1, maximum: 240 },
    origin: { type: 'object', additionalProperties: false, required: ['from', 'seed'], properties: { from: { type: 'string' }, seed: { type: 'string' } }, description: 'How the variant was made (the seed is never published to students).' },
  },
} as const;
