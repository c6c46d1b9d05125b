// The card variants of a published lab (`vgpu-lab publish`): where each file sits in the site, and what of a
// variant the students may see. The publisher writes this layout; the page reads it (web/src/variant.ts).
import type { CardVariant } from '../definition.ts';

/** The list of the site's variants and its default. */
export const PUBLISHED_INDEX = 'variants/index.json';

export interface PublishedEntry {
  id: string;
  name: string;
  /** PCI vendor:device, as lspci prints it. */
  pci: string;
  card: string;
  manual: string;
  manualMarkdown: string;
  handout: string;
}

export interface PublishedIndex {
  /** The variant a URL without ?variant= gets. */
  default: string;
  variants: PublishedEntry[];
}

const dir = (id: string) => `variants/${id}`;
export const publishedCardPath = (id: string): string => `${dir(id)}/card.json`;

export function publishedEntry(v: CardVariant): PublishedEntry {
  const hex4 = (n: number) => n.toString(16).padStart(4, '0');
  return {
    id: v.id,
    name: v.name,
    pci: `${hex4(v.pci.vendorId)}:${hex4(v.pci.deviceId)}`,
    card: publishedCardPath(v.id),
    manual: `${dir(v.id)}/manual.html`,
    manualMarkdown: `${dir(v.id)}/manual.md`,
    handout: `${dir(v.id)}/${v.id}-handout.zip`,
  };
}

/** The variant as students get it: how it was made (the seed) stays with the instructor. */
export function studentVariant(v: CardVariant): CardVariant {
  const { origin: _origin, ...rest } = v;
  return rest;
}
