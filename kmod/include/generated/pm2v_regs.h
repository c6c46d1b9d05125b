/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * 3Dlabs Permedia 2v (vgpu-lab reduced model): register definitions.
 * Generated from vcd/card/variants/permedia2v.ts by vcd/card/codegen/generate.ts. Do not edit.
 */
#ifndef PM2_PERMEDIA2V_REGS_H
#define PM2_PERMEDIA2V_REGS_H

/* PCI identity */
#define PM2_PCI_VENDOR_ID                                0x3d3d
#define PM2_PCI_DEVICE_ID                                0x0009
#define PM2_PCI_REVISION                                 0x01
#define PM2_PCI_CLASS                                    0x038000
#define PM2_PCI_SUBSYSTEM_VENDOR_ID                      0x3d3d
#define PM2_PCI_SUBSYSTEM_ID                             0x0100

/* BARs */
#define PM2_BAR_REGISTERS                                0               /* Control registers, FIFO window and GP registers (little-endian view at 0, byte-swapped view at 0x10000). */
#define PM2_BAR0_SIZE                                    0x20000u
#define PM2_BAR_VRAM                                     1               /* Framebuffer aperture one: all of VRAM. */
#define PM2_BAR1_SIZE                                    0x800000u
#define PM2_BAR_VRAM_ALIAS                               2               /* Framebuffer aperture two: the same VRAM. */
#define PM2_BAR2_SIZE                                    0x800000u
#define PM2_VRAM_SIZE                                    0x800000u
#define PM2_INPUT_FIFO_DEPTH                             256
#define PM2_OUTPUT_FIFO_DEPTH                            8
#define PM2_FIFO_WINDOW                                  0x2000          /* Write: tag-format words into the input FIFO (same format as DMA). Read: pop one word from the output FIFO. */
#define PM2_GP_BASE                                      0x8000          /* GP register offset = base + tag * stride */
#define PM2_GP_STRIDE                                    8
#define PM2_GP_OFFSET(tag)                               (PM2_GP_BASE + (tag) * PM2_GP_STRIDE)
#define PM2_BIG_ENDIAN_MIRROR                            0x10000
#define PM2_DMA_MAX_COUNT                                0xffff          /* words per DMA buffer */

/* Behavioural choices: one of each pair is defined (test with #ifdef) */
#define PM2_IRQ_ACK_W1C                                  1               /* IntFlags/ErrorFlags: write 1 to a bit to clear it */
#define PM2_CMD_DMA                                      1               /* commands by DMA: address, then count starts one buffer */

/* Control, memory, video and RAMDAC registers (BAR0 offsets) */
#define PM2R_RESET_STATUS                                0x0000          /* RW, reset 0x0 */
#define PM2R_RESET_STATUS_BEING_RESET_SHIFT              31
#define PM2R_RESET_STATUS_BEING_RESET_MASK               0x80000000u     /* [31:31] */
#define PM2R_INT_ENABLE                                  0x0008          /* RW, reset 0x0 */
#define PM2R_INT_ENABLE_DMA_SHIFT                        0
#define PM2R_INT_ENABLE_DMA_MASK                         0x1u            /* [0:0] */
#define PM2R_INT_ENABLE_SYNC_SHIFT                       1
#define PM2R_INT_ENABLE_SYNC_MASK                        0x2u            /* [1:1] */
#define PM2R_INT_ENABLE_EXTERNAL_SHIFT                   2
#define PM2R_INT_ENABLE_EXTERNAL_MASK                    0x4u            /* [2:2] */
#define PM2R_INT_ENABLE_ERROR_SHIFT                      3
#define PM2R_INT_ENABLE_ERROR_MASK                       0x8u            /* [3:3] */
#define PM2R_INT_ENABLE_V_RETRACE_SHIFT                  4
#define PM2R_INT_ENABLE_V_RETRACE_MASK                   0x10u           /* [4:4] */
#define PM2R_INT_ENABLE_SCANLINE_SHIFT                   5
#define PM2R_INT_ENABLE_SCANLINE_MASK                    0x20u           /* [5:5] */
#define PM2R_INT_FLAGS                                   0x0010          /* W1C, reset 0x0 */
#define PM2R_INT_FLAGS_DMA_SHIFT                         0
#define PM2R_INT_FLAGS_DMA_MASK                          0x1u            /* [0:0] */
#define PM2R_INT_FLAGS_SYNC_SHIFT                        1
#define PM2R_INT_FLAGS_SYNC_MASK                         0x2u            /* [1:1] */
#define PM2R_INT_FLAGS_EXTERNAL_SHIFT                    2
#define PM2R_INT_FLAGS_EXTERNAL_MASK                     0x4u            /* [2:2] */
#define PM2R_INT_FLAGS_ERROR_SHIFT                       3
#define PM2R_INT_FLAGS_ERROR_MASK                        0x8u            /* [3:3] */
#define PM2R_INT_FLAGS_V_RETRACE_SHIFT                   4
#define PM2R_INT_FLAGS_V_RETRACE_MASK                    0x10u           /* [4:4] */
#define PM2R_INT_FLAGS_SCANLINE_SHIFT                    5
#define PM2R_INT_FLAGS_SCANLINE_MASK                     0x20u           /* [5:5] */
#define PM2R_IN_FIFO_SPACE                               0x0018          /* RO, reset 0x100 */
#define PM2R_OUT_FIFO_WORDS                              0x0020          /* RO, reset 0x0 */
#define PM2R_DMA_ADDRESS                                 0x0028          /* RW, reset 0x0 */
#define PM2R_DMA_ADDRESS_ADDRESS_SHIFT                   2
#define PM2R_DMA_ADDRESS_ADDRESS_MASK                    0xfffffffcu     /* [31:2] */
#define PM2R_DMA_COUNT                                   0x0030          /* RW, reset 0x0 */
#define PM2R_DMA_COUNT_COUNT_SHIFT                       0
#define PM2R_DMA_COUNT_COUNT_MASK                        0xffffu         /* [15:0] */
#define PM2R_ERROR_FLAGS                                 0x0038          /* W1C, reset 0x0 */
#define PM2R_ERROR_FLAGS_IN_FIFO_SHIFT                   0
#define PM2R_ERROR_FLAGS_IN_FIFO_MASK                    0x1u            /* [0:0] */
#define PM2R_ERROR_FLAGS_OUT_FIFO_SHIFT                  1
#define PM2R_ERROR_FLAGS_OUT_FIFO_MASK                   0x2u            /* [1:1] */
#define PM2R_ERROR_FLAGS_MESSAGE_SHIFT                   2
#define PM2R_ERROR_FLAGS_MESSAGE_MASK                    0x4u            /* [2:2] */
#define PM2R_ERROR_FLAGS_DMA_SHIFT                       3
#define PM2R_ERROR_FLAGS_DMA_MASK                        0x8u            /* [3:3] */
#define PM2R_ERROR_FLAGS_MASTER_SHIFT                    7
#define PM2R_ERROR_FLAGS_MASTER_MASK                     0x80u           /* [7:7] */
#define PM2R_ERROR_FLAGS_IN_DMA_OVERWRITE_SHIFT          9
#define PM2R_ERROR_FLAGS_IN_DMA_OVERWRITE_MASK           0x200u          /* [9:9] */
#define PM2R_V_CLK_CTL                                   0x0040          /* RW, reset 0x0 */
#define PM2R_APERTURE_ONE                                0x0050          /* RW, reset 0x0 */
#define PM2R_APERTURE_ONE_BYTE_CONTROL_SHIFT             0
#define PM2R_APERTURE_ONE_BYTE_CONTROL_MASK              0x3u            /* [1:0] */
#define PM2R_APERTURE_TWO                                0x0058          /* RW, reset 0x0 */
#define PM2R_APERTURE_TWO_BYTE_CONTROL_SHIFT             0
#define PM2R_APERTURE_TWO_BYTE_CONTROL_MASK              0x3u            /* [1:0] */
#define PM2R_DMA_CONTROL                                 0x0060          /* RW, reset 0x0 */
#define PM2R_DMA_CONTROL_BIG_ENDIAN_SHIFT                0
#define PM2R_DMA_CONTROL_BIG_ENDIAN_MASK                 0x1u            /* [0:0] */
#define PM2R_DMA_CONTROL_AGP_SHIFT                       1
#define PM2R_DMA_CONTROL_AGP_MASK                        0x2u            /* [1:1] */
#define PM2R_FIFO_DISCON                                 0x0068          /* RW, reset 0x0 */
#define PM2R_FIFO_DISCON_INPUT_DISCONNECT_SHIFT          0
#define PM2R_FIFO_DISCON_INPUT_DISCONNECT_MASK           0x1u            /* [0:0] */
#define PM2R_FIFO_DISCON_OUTPUT_DISCONNECT_SHIFT         1
#define PM2R_FIFO_DISCON_OUTPUT_DISCONNECT_MASK          0x2u            /* [1:1] */
#define PM2R_FIFO_DISCON_GP_ACTIVE_SHIFT                 31
#define PM2R_FIFO_DISCON_GP_ACTIVE_MASK                  0x80000000u     /* [31:31] */
#define PM2R_CHIP_CONFIG                                 0x0070          /* RW, reset 0x0 */
#define PM2R_CHIP_CONFIG_BASE_CLASS_ZERO_SHIFT           0
#define PM2R_CHIP_CONFIG_BASE_CLASS_ZERO_MASK            0x1u            /* [0:0] */
#define PM2R_CHIP_CONFIG_VGA_ENABLE_SHIFT                1
#define PM2R_CHIP_CONFIG_VGA_ENABLE_MASK                 0x2u            /* [1:1] */
#define PM2R_CHIP_CONFIG_VGA_FIXED_SHIFT                 2
#define PM2R_CHIP_CONFIG_VGA_FIXED_MASK                  0x4u            /* [2:2] */
#define PM2R_CHIP_CONFIG_PCI_RETRY_DISABLE_SHIFT         5
#define PM2R_CHIP_CONFIG_PCI_RETRY_DISABLE_MASK          0x20u           /* [5:5] */
#define PM2R_CHIP_CONFIG_SHORT_RESET_SHIFT               7
#define PM2R_CHIP_CONFIG_SHORT_RESET_MASK                0x80u           /* [7:7] */
#define PM2R_MEM_CONTROL                                 0x1040          /* RW, reset 0x0 */
#define PM2R_BOOT_ADDRESS                                0x1080          /* RW, reset 0x0 */
#define PM2R_MEM_CONFIG                                  0x10c0          /* RW, reset 0xe0000000 */
#define PM2R_MEM_CONFIG_TIMINGS_SHIFT                    0
#define PM2R_MEM_CONFIG_TIMINGS_MASK                     0x1fffffffu     /* [28:0] */
#define PM2R_MEM_CONFIG_NUMBER_BANKS_SHIFT               29
#define PM2R_MEM_CONFIG_NUMBER_BANKS_MASK                0x60000000u     /* [30:29] */
#define PM2R_MEM_CONFIG_BURST_SHIFT                      31
#define PM2R_MEM_CONFIG_BURST_MASK                       0x80000000u     /* [31:31] */
#define PM2R_BYPASS_WRITE_MASK                           0x1100          /* RW, reset 0xffffffff */
#define PM2R_FRAMEBUFFER_WRITE_MASK                      0x1140          /* RW, reset 0xffffffff */
#define PM2R_SCREEN_BASE                                 0x3000          /* RW, reset 0x0 */
#define PM2R_SCREEN_BASE_BASE_SHIFT                      0
#define PM2R_SCREEN_BASE_BASE_MASK                       0xfffffu        /* [19:0] */
#define PM2R_SCREEN_STRIDE                               0x3008          /* RW, reset 0x0 */
#define PM2R_SCREEN_STRIDE_STRIDE_SHIFT                  0
#define PM2R_SCREEN_STRIDE_STRIDE_MASK                   0xfffffu        /* [19:0] */
#define PM2R_H_TOTAL                                     0x3010          /* RW, reset 0x0 */
#define PM2R_H_TOTAL_VALUE_SHIFT                         0
#define PM2R_H_TOTAL_VALUE_MASK                          0x7ffu          /* [10:0] */
#define PM2R_HG_END                                      0x3018          /* RW, reset 0x0 */
#define PM2R_HG_END_VALUE_SHIFT                          0
#define PM2R_HG_END_VALUE_MASK                           0x7ffu          /* [10:0] */
#define PM2R_HB_END                                      0x3020          /* RW, reset 0x0 */
#define PM2R_HB_END_VALUE_SHIFT                          0
#define PM2R_HB_END_VALUE_MASK                           0x7ffu          /* [10:0] */
#define PM2R_HS_START                                    0x3028          /* RW, reset 0x0 */
#define PM2R_HS_START_VALUE_SHIFT                        0
#define PM2R_HS_START_VALUE_MASK                         0x7ffu          /* [10:0] */
#define PM2R_HS_END                                      0x3030          /* RW, reset 0x0 */
#define PM2R_HS_END_VALUE_SHIFT                          0
#define PM2R_HS_END_VALUE_MASK                           0x7ffu          /* [10:0] */
#define PM2R_V_TOTAL                                     0x3038          /* RW, reset 0x0 */
#define PM2R_V_TOTAL_VALUE_SHIFT                         0
#define PM2R_V_TOTAL_VALUE_MASK                          0x7ffu          /* [10:0] */
#define PM2R_VB_END                                      0x3040          /* RW, reset 0x0 */
#define PM2R_VB_END_VALUE_SHIFT                          0
#define PM2R_VB_END_VALUE_MASK                           0x7ffu          /* [10:0] */
#define PM2R_VS_START                                    0x3048          /* RW, reset 0x0 */
#define PM2R_VS_START_VALUE_SHIFT                        0
#define PM2R_VS_START_VALUE_MASK                         0x7ffu          /* [10:0] */
#define PM2R_VS_END                                      0x3050          /* RW, reset 0x0 */
#define PM2R_VS_END_VALUE_SHIFT                          0
#define PM2R_VS_END_VALUE_MASK                           0x7ffu          /* [10:0] */
#define PM2R_VIDEO_CONTROL                               0x3058          /* RW, reset 0x0 */
#define PM2R_VIDEO_CONTROL_ENABLE_SHIFT                  0
#define PM2R_VIDEO_CONTROL_ENABLE_MASK                   0x1u            /* [0:0] */
#define PM2R_VIDEO_CONTROL_BLANK_ACTIVE_LOW_SHIFT        1
#define PM2R_VIDEO_CONTROL_BLANK_ACTIVE_LOW_MASK         0x2u            /* [1:1] */
#define PM2R_VIDEO_CONTROL_LINE_DOUBLE_SHIFT             2
#define PM2R_VIDEO_CONTROL_LINE_DOUBLE_MASK              0x4u            /* [2:2] */
#define PM2R_VIDEO_CONTROL_H_SYNC_CTL_SHIFT              3
#define PM2R_VIDEO_CONTROL_H_SYNC_CTL_MASK               0x18u           /* [4:3] */
#define PM2R_VIDEO_CONTROL_V_SYNC_CTL_SHIFT              5
#define PM2R_VIDEO_CONTROL_V_SYNC_CTL_MASK               0x60u           /* [6:5] */
#define PM2R_VIDEO_CONTROL_DATA64_ENABLE_SHIFT           16
#define PM2R_VIDEO_CONTROL_DATA64_ENABLE_MASK            0x10000u        /* [16:16] */
#define PM2R_INTERRUPT_LINE                              0x3060          /* RW, reset 0x0 */
#define PM2R_INTERRUPT_LINE_LINE_SHIFT                   0
#define PM2R_INTERRUPT_LINE_LINE_MASK                    0x7ffu          /* [10:0] */
#define PM2R_LINE_COUNT                                  0x3070          /* RO, reset 0x0 */
#define PM2R_LINE_COUNT_LINE_SHIFT                       0
#define PM2R_LINE_COUNT_LINE_MASK                        0x7ffu          /* [10:0] */
#define PM2R_FIFO_CONTROL                                0x3078          /* RW, reset 0x0 */
#define PM2R_PALETTE_WRITE_ADDRESS                       0x4000          /* RW, reset 0x0 */
#define PM2R_PALETTE_WRITE_ADDRESS_INDEX_SHIFT           0
#define PM2R_PALETTE_WRITE_ADDRESS_INDEX_MASK            0xffu           /* [7:0] */
#define PM2R_PALETTE_DATA                                0x4008          /* RW, reset 0x0 */
#define PM2R_PALETTE_DATA_DATA_SHIFT                     0
#define PM2R_PALETTE_DATA_DATA_MASK                      0xffu           /* [7:0] */
#define PM2R_PIXEL_MASK                                  0x4010          /* RW, reset 0xff */
#define PM2R_PIXEL_MASK_MASK_SHIFT                       0
#define PM2R_PIXEL_MASK_MASK_MASK                        0xffu           /* [7:0] */
#define PM2R_RD_INDEX_LOW                                0x4020          /* RW, reset 0x0 */
#define PM2R_RD_INDEX_LOW_INDEX_SHIFT                    0
#define PM2R_RD_INDEX_LOW_INDEX_MASK                     0xffu           /* [7:0] */
#define PM2R_RD_INDEX_HIGH                               0x4028          /* RW, reset 0x0 */
#define PM2R_RD_INDEX_HIGH_INDEX_SHIFT                   0
#define PM2R_RD_INDEX_HIGH_INDEX_MASK                    0xffu           /* [7:0] */
#define PM2R_RD_INDEXED_DATA                             0x4030          /* RW, reset 0x0 */
#define PM2R_RD_INDEXED_DATA_DATA_SHIFT                  0
#define PM2R_RD_INDEXED_DATA_DATA_MASK                   0xffu           /* [7:0] */
#define PM2R_RD_INDEX_CONTROL                            0x4038          /* RW, reset 0x0 */
#define PM2R_RD_INDEX_CONTROL_AUTO_INCREMENT_SHIFT       0
#define PM2R_RD_INDEX_CONTROL_AUTO_INCREMENT_MASK        0x1u            /* [0:0] */

/* Interrupt bits (IntEnable / IntFlags) */
#define PM2_INT_DMA                                      (1u << 0)       /* Input DMA finished: DMACount reached 0 (all words fetched, not necessarily drawn). */
#define PM2_INT_SYNC                                     (1u << 1)       /* A Sync command with InterruptEnable (bit 31) left the pipeline. */
#define PM2_INT_EXTERNAL                                 (1u << 2)       /* External interrupt input (never raised by the virtual card). */
#define PM2_INT_ERROR                                    (1u << 3)       /* A bit was set in ErrorFlags. */
#define PM2_INT_V_RETRACE                                (1u << 4)       /* Start of vertical retrace (only while VideoControl.Enable is set). */
#define PM2_INT_SCANLINE                                 (1u << 5)       /* LineCount equals InterruptLine (not modelled). */

/* Error bits (ErrorFlags) */
#define PM2_ERR_IN_FIFO                                  (1u << 0)       /* A word was written to a full input FIFO and was lost. */
#define PM2_ERR_OUT_FIFO                                 (1u << 1)       /* The output FIFO was read while empty. */
#define PM2_ERR_MESSAGE                                  (1u << 2)       /* Malformed command: unknown tag, reserved bits, tag mode 3, unsupported feature, absurd count. */
#define PM2_ERR_DMA                                      (1u << 3)       /* The host wrote to the input FIFO while input DMA was active. */
#define PM2_ERR_MASTER                                   (1u << 7)       /* Input DMA tried to read outside guest RAM (PCI master abort); the rest of the buffer was dropped. */
#define PM2_ERR_IN_DMA_OVERWRITE                         (1u << 9)       /* DMAAddress or DMACount was written while input DMA was still running; the write was ignored. */

/* Tag-word format (FIFO window and DMA buffers) */
#define PM2_TAGWORD_TAG_SHIFT                            0
#define PM2_TAGWORD_TAG_MASK                             0x7ffu
#define PM2_TAGWORD_RESERVED_MASK                        0x3800u         /* must be zero */
#define PM2_TAGWORD_MODE_SHIFT                           14
#define PM2_TAGWORD_MODE_HOLD                            0
#define PM2_TAGWORD_MODE_INCREMENT                       1
#define PM2_TAGWORD_MODE_INDEXED                         2
#define PM2_TAGWORD_MODE_RESERVED                        3               /* malformed: the card rejects it */
#define PM2_TAGWORD_COUNT_SHIFT                          16              /* HOLD/INCREMENT: words - 1; INDEXED: mask */
#define PM2_TAGWORD_COUNT_MASK                           0xffffu
#define PM2_TAGWORD_INDEXED_GROUP_SHIFT                  4
#define PM2_TAGWORD(tag, mode, count)                    ((((tag) & PM2_TAGWORD_TAG_MASK) << PM2_TAGWORD_TAG_SHIFT) | ((unsigned)(mode) << PM2_TAGWORD_MODE_SHIFT) | (((count) & PM2_TAGWORD_COUNT_MASK) << PM2_TAGWORD_COUNT_SHIFT))
#define PM2_HOLD(tag, n)                                 PM2_TAGWORD(tag, PM2_TAGWORD_MODE_HOLD, (n) - 1) /* header for n words to one register */
#define PM2_INCREMENT(tag, n)                            PM2_TAGWORD(tag, PM2_TAGWORD_MODE_INCREMENT, (n) - 1)
#define PM2_INDEXED(tag, mask)                           PM2_TAGWORD(tag, PM2_TAGWORD_MODE_INDEXED, mask)

/* Fixed-point helpers */
#define PM2_FIXED16(i)                                   ((unsigned)((int)(i) * 65536)) /* integer -> 16.16 edge value */
#define PM2_COLOR915(c)                                  ((unsigned)((int)(c) * 32768) & 0xffffffu) /* integer colour -> 9.15 colour value */

/* Graphics-processor tags (register offset = <P>_GP_OFFSET(tag)) */
#define PM2TAG_START_X_DOM                               0x000           /* fixed16.16 */
#define PM2R_START_X_DOM                                 0x8000
#define PM2TAG_D_X_DOM                                   0x001           /* fixed16.16 */
#define PM2R_D_X_DOM                                     0x8008
#define PM2TAG_START_X_SUB                               0x002           /* fixed16.16 */
#define PM2R_START_X_SUB                                 0x8010
#define PM2TAG_D_X_SUB                                   0x003           /* fixed16.16 */
#define PM2R_D_X_SUB                                     0x8018
#define PM2TAG_START_Y                                   0x004           /* fixed16.16 */
#define PM2R_START_Y                                     0x8020
#define PM2TAG_D_Y                                       0x005           /* fixed16.16 */
#define PM2R_D_Y                                         0x8028
#define PM2TAG_COUNT                                     0x006           /* count12 */
#define PM2R_COUNT                                       0x8030
#define PM2TAG_COUNT_COUNT_SHIFT                         0
#define PM2TAG_COUNT_COUNT_MASK                          0xfffu          /* [11:0] */
#define PM2TAG_RENDER                                    0x007           /* raw */
#define PM2R_RENDER                                      0x8038
#define PM2TAG_RENDER_AREA_STIPPLE_ENABLE_SHIFT          0
#define PM2TAG_RENDER_AREA_STIPPLE_ENABLE_MASK           0x1u            /* [0:0] */
#define PM2TAG_RENDER_FAST_FILL_ENABLE_SHIFT             3
#define PM2TAG_RENDER_FAST_FILL_ENABLE_MASK              0x8u            /* [3:3] */
#define PM2TAG_RENDER_PRIMITIVE_TYPE_SHIFT               6
#define PM2TAG_RENDER_PRIMITIVE_TYPE_MASK                0xc0u           /* [7:6] */
#define PM2TAG_RENDER_PRIMITIVE_TYPE_LINE                (0u << 6)
#define PM2TAG_RENDER_PRIMITIVE_TYPE_TRAPEZOID           (1u << 6)
#define PM2TAG_RENDER_PRIMITIVE_TYPE_POINT               (2u << 6)
#define PM2TAG_RENDER_PRIMITIVE_TYPE_RECTANGLE           (3u << 6)
#define PM2TAG_RENDER_SYNC_ON_BIT_MASK_SHIFT             11
#define PM2TAG_RENDER_SYNC_ON_BIT_MASK_MASK              0x800u          /* [11:11] */
#define PM2TAG_RENDER_SYNC_ON_HOST_DATA_SHIFT            12
#define PM2TAG_RENDER_SYNC_ON_HOST_DATA_MASK             0x1000u         /* [12:12] */
#define PM2TAG_RENDER_TEXTURE_ENABLE_SHIFT               13
#define PM2TAG_RENDER_TEXTURE_ENABLE_MASK                0x2000u         /* [13:13] */
#define PM2TAG_RENDER_FOG_ENABLE_SHIFT                   14
#define PM2TAG_RENDER_FOG_ENABLE_MASK                    0x4000u         /* [14:14] */
#define PM2TAG_RENDER_SUB_PIXEL_CORRECTION_ENABLE_SHIFT  16
#define PM2TAG_RENDER_SUB_PIXEL_CORRECTION_ENABLE_MASK   0x10000u        /* [16:16] */
#define PM2TAG_RENDER_REUSE_BIT_MASK_SHIFT               17
#define PM2TAG_RENDER_REUSE_BIT_MASK_MASK                0x20000u        /* [17:17] */
#define PM2TAG_RENDER_REJECT_NEGATIVE_FACE_SHIFT         20
#define PM2TAG_RENDER_REJECT_NEGATIVE_FACE_MASK          0x100000u       /* [20:20] */
#define PM2TAG_RENDER_INCREASE_X_SHIFT                   21
#define PM2TAG_RENDER_INCREASE_X_MASK                    0x200000u       /* [21:21] */
#define PM2TAG_RENDER_INCREASE_Y_SHIFT                   22
#define PM2TAG_RENDER_INCREASE_Y_MASK                    0x400000u       /* [22:22] */
#define PM2TAG_CONTINUE_NEW_DOM                          0x009           /* count12 */
#define PM2R_CONTINUE_NEW_DOM                            0x8048
#define PM2TAG_CONTINUE_NEW_DOM_COUNT_SHIFT              0
#define PM2TAG_CONTINUE_NEW_DOM_COUNT_MASK               0xfffu          /* [11:0] */
#define PM2TAG_CONTINUE_NEW_SUB                          0x00a           /* count12 */
#define PM2R_CONTINUE_NEW_SUB                            0x8050
#define PM2TAG_CONTINUE_NEW_SUB_COUNT_SHIFT              0
#define PM2TAG_CONTINUE_NEW_SUB_COUNT_MASK               0xfffu          /* [11:0] */
#define PM2TAG_CONTINUE                                  0x00b           /* count12 */
#define PM2R_CONTINUE                                    0x8058
#define PM2TAG_CONTINUE_COUNT_SHIFT                      0
#define PM2TAG_CONTINUE_COUNT_MASK                       0xfffu          /* [11:0] */
#define PM2TAG_RASTERIZER_MODE                           0x014           /* no-op (only 0) */
#define PM2R_RASTERIZER_MODE                             0x80a0
#define PM2TAG_WAIT_FOR_COMPLETION                       0x017           /* no-op (any value) */
#define PM2R_WAIT_FOR_COMPLETION                         0x80b8
#define PM2TAG_RECTANGLE_ORIGIN                          0x01a           /* xy12 */
#define PM2R_RECTANGLE_ORIGIN                            0x80d0
#define PM2TAG_RECTANGLE_ORIGIN_X_SHIFT                  0
#define PM2TAG_RECTANGLE_ORIGIN_X_MASK                   0xfffu          /* [11:0] */
#define PM2TAG_RECTANGLE_ORIGIN_Y_SHIFT                  16
#define PM2TAG_RECTANGLE_ORIGIN_Y_MASK                   0xfff0000u      /* [27:16] */
#define PM2TAG_RECTANGLE_SIZE                            0x01b           /* xy12 */
#define PM2R_RECTANGLE_SIZE                              0x80d8
#define PM2TAG_RECTANGLE_SIZE_WIDTH_SHIFT                0
#define PM2TAG_RECTANGLE_SIZE_WIDTH_MASK                 0xfffu          /* [11:0] */
#define PM2TAG_RECTANGLE_SIZE_HEIGHT_SHIFT               16
#define PM2TAG_RECTANGLE_SIZE_HEIGHT_MASK                0xfff0000u      /* [27:16] */
#define PM2TAG_SCISSOR_MODE                              0x030           /* raw */
#define PM2R_SCISSOR_MODE                                0x8180
#define PM2TAG_SCISSOR_MODE_USER_SCISSOR_ENABLE_SHIFT    0
#define PM2TAG_SCISSOR_MODE_USER_SCISSOR_ENABLE_MASK     0x1u            /* [0:0] */
#define PM2TAG_SCISSOR_MODE_SCREEN_SCISSOR_ENABLE_SHIFT  1
#define PM2TAG_SCISSOR_MODE_SCREEN_SCISSOR_ENABLE_MASK   0x2u            /* [1:1] */
#define PM2TAG_SCISSOR_MIN_XY                            0x031           /* xy12 */
#define PM2R_SCISSOR_MIN_XY                              0x8188
#define PM2TAG_SCISSOR_MIN_XY_X_SHIFT                    0
#define PM2TAG_SCISSOR_MIN_XY_X_MASK                     0xfffu          /* [11:0] */
#define PM2TAG_SCISSOR_MIN_XY_Y_SHIFT                    16
#define PM2TAG_SCISSOR_MIN_XY_Y_MASK                     0xfff0000u      /* [27:16] */
#define PM2TAG_SCISSOR_MAX_XY                            0x032           /* xy12 */
#define PM2R_SCISSOR_MAX_XY                              0x8190
#define PM2TAG_SCISSOR_MAX_XY_X_SHIFT                    0
#define PM2TAG_SCISSOR_MAX_XY_X_MASK                     0xfffu          /* [11:0] */
#define PM2TAG_SCISSOR_MAX_XY_Y_SHIFT                    16
#define PM2TAG_SCISSOR_MAX_XY_Y_MASK                     0xfff0000u      /* [27:16] */
#define PM2TAG_SCREEN_SIZE                               0x033           /* xy12 */
#define PM2R_SCREEN_SIZE                                 0x8198
#define PM2TAG_SCREEN_SIZE_WIDTH_SHIFT                   0
#define PM2TAG_SCREEN_SIZE_WIDTH_MASK                    0x7ffu          /* [10:0] */
#define PM2TAG_SCREEN_SIZE_HEIGHT_SHIFT                  16
#define PM2TAG_SCREEN_SIZE_HEIGHT_MASK                   0x7ff0000u      /* [26:16] */
#define PM2TAG_AREA_STIPPLE_MODE                         0x034           /* no-op (only 0) */
#define PM2R_AREA_STIPPLE_MODE                           0x81a0
#define PM2TAG_WINDOW_ORIGIN                             0x039           /* xy12 */
#define PM2R_WINDOW_ORIGIN                               0x81c8
#define PM2TAG_WINDOW_ORIGIN_X_SHIFT                     0
#define PM2TAG_WINDOW_ORIGIN_X_MASK                      0xfffu          /* [11:0] */
#define PM2TAG_WINDOW_ORIGIN_Y_SHIFT                     16
#define PM2TAG_WINDOW_ORIGIN_Y_MASK                      0xfff0000u      /* [27:16] */
#define PM2TAG_TEXTURE_ADDRESS_MODE                      0x070           /* no-op (only 0) */
#define PM2R_TEXTURE_ADDRESS_MODE                        0x8380
#define PM2TAG_TEXTURE_MAP_FORMAT                        0x0b1           /* no-op (any value) */
#define PM2R_TEXTURE_MAP_FORMAT                          0x8588
#define PM2TAG_TEXTURE_READ_MODE                         0x0ce           /* no-op (only 0) */
#define PM2R_TEXTURE_READ_MODE                           0x8670
#define PM2TAG_TEXTURE_COLOR_MODE                        0x0d0           /* no-op (only 0) */
#define PM2R_TEXTURE_COLOR_MODE                          0x8680
#define PM2TAG_FOG_MODE                                  0x0d2           /* no-op (only 0) */
#define PM2R_FOG_MODE                                    0x8690
#define PM2TAG_R_START                                   0x0f0           /* color9.15 */
#define PM2R_R_START                                     0x8780
#define PM2TAG_D_RDX                                     0x0f1           /* color9.15 */
#define PM2R_D_RDX                                       0x8788
#define PM2TAG_D_RDY_DOM                                 0x0f2           /* color9.15 */
#define PM2R_D_RDY_DOM                                   0x8790
#define PM2TAG_G_START                                   0x0f3           /* color9.15 */
#define PM2R_G_START                                     0x8798
#define PM2TAG_D_GDX                                     0x0f4           /* color9.15 */
#define PM2R_D_GDX                                       0x87a0
#define PM2TAG_D_GDY_DOM                                 0x0f5           /* color9.15 */
#define PM2R_D_GDY_DOM                                   0x87a8
#define PM2TAG_B_START                                   0x0f6           /* color9.15 */
#define PM2R_B_START                                     0x87b0
#define PM2TAG_D_BDX                                     0x0f7           /* color9.15 */
#define PM2R_D_BDX                                       0x87b8
#define PM2TAG_D_BDY_DOM                                 0x0f8           /* color9.15 */
#define PM2R_D_BDY_DOM                                   0x87c0
#define PM2TAG_A_START                                   0x0f9           /* no-op (any value) */
#define PM2R_A_START                                     0x87c8
#define PM2TAG_D_ADX                                     0x0fa           /* no-op (any value) */
#define PM2R_D_ADX                                       0x87d0
#define PM2TAG_D_ADY_DOM                                 0x0fb           /* no-op (any value) */
#define PM2R_D_ADY_DOM                                   0x87d8
#define PM2TAG_COLOR_DDA_MODE                            0x0fc           /* raw */
#define PM2R_COLOR_DDA_MODE                              0x87e0
#define PM2TAG_COLOR_DDA_MODE_UNIT_ENABLE_SHIFT          0
#define PM2TAG_COLOR_DDA_MODE_UNIT_ENABLE_MASK           0x1u            /* [0:0] */
#define PM2TAG_COLOR_DDA_MODE_SHADE_MODE_SHIFT           1
#define PM2TAG_COLOR_DDA_MODE_SHADE_MODE_MASK            0x2u            /* [1:1] */
#define PM2TAG_COLOR_DDA_MODE_SHADE_MODE_FLAT            (0u << 1)
#define PM2TAG_COLOR_DDA_MODE_SHADE_MODE_GOURAUD         (1u << 1)
#define PM2TAG_CONSTANT_COLOR                            0x0fd           /* raw */
#define PM2R_CONSTANT_COLOR                              0x87e8
#define PM2TAG_CONSTANT_COLOR_R_SHIFT                    0
#define PM2TAG_CONSTANT_COLOR_R_MASK                     0xffu           /* [7:0] */
#define PM2TAG_CONSTANT_COLOR_G_SHIFT                    8
#define PM2TAG_CONSTANT_COLOR_G_MASK                     0xff00u         /* [15:8] */
#define PM2TAG_CONSTANT_COLOR_B_SHIFT                    16
#define PM2TAG_CONSTANT_COLOR_B_MASK                     0xff0000u       /* [23:16] */
#define PM2TAG_CONSTANT_COLOR_A_SHIFT                    24
#define PM2TAG_CONSTANT_COLOR_A_MASK                     0xff000000u     /* [31:24] */
#define PM2TAG_COLOR                                     0x0fe           /* raw */
#define PM2R_COLOR                                       0x87f0
#define PM2TAG_COLOR_R_SHIFT                             0
#define PM2TAG_COLOR_R_MASK                              0xffu           /* [7:0] */
#define PM2TAG_COLOR_G_SHIFT                             8
#define PM2TAG_COLOR_G_MASK                              0xff00u         /* [15:8] */
#define PM2TAG_COLOR_B_SHIFT                             16
#define PM2TAG_COLOR_B_MASK                              0xff0000u       /* [23:16] */
#define PM2TAG_COLOR_A_SHIFT                             24
#define PM2TAG_COLOR_A_MASK                              0xff000000u     /* [31:24] */
#define PM2TAG_ALPHA_BLEND_MODE                          0x102           /* no-op (only 0) */
#define PM2R_ALPHA_BLEND_MODE                            0x8810
#define PM2TAG_DITHER_MODE                               0x103           /* raw */
#define PM2R_DITHER_MODE                                 0x8818
#define PM2TAG_DITHER_MODE_UNIT_ENABLE_SHIFT             0
#define PM2TAG_DITHER_MODE_UNIT_ENABLE_MASK              0x1u            /* [0:0] */
#define PM2TAG_DITHER_MODE_DITHER_ENABLE_SHIFT           1
#define PM2TAG_DITHER_MODE_DITHER_ENABLE_MASK            0x2u            /* [1:1] */
#define PM2TAG_DITHER_MODE_COLOR_FORMAT_SHIFT            2
#define PM2TAG_DITHER_MODE_COLOR_FORMAT_MASK             0x3cu           /* [5:2] */
#define PM2TAG_DITHER_MODE_X_OFFSET_SHIFT                6
#define PM2TAG_DITHER_MODE_X_OFFSET_MASK                 0xc0u           /* [7:6] */
#define PM2TAG_DITHER_MODE_Y_OFFSET_SHIFT                8
#define PM2TAG_DITHER_MODE_Y_OFFSET_MASK                 0x300u          /* [9:8] */
#define PM2TAG_DITHER_MODE_COLOR_ORDER_SHIFT             10
#define PM2TAG_DITHER_MODE_COLOR_ORDER_MASK              0x400u          /* [10:10] */
#define PM2TAG_DITHER_MODE_COLOR_ORDER_BGR               (0u << 10)
#define PM2TAG_DITHER_MODE_COLOR_ORDER_RGB               (1u << 10)
#define PM2TAG_DITHER_MODE_DITHER_METHOD_SHIFT           11
#define PM2TAG_DITHER_MODE_DITHER_METHOD_MASK            0x800u          /* [11:11] */
#define PM2TAG_DITHER_MODE_FORCE_ALPHA_SHIFT             12
#define PM2TAG_DITHER_MODE_FORCE_ALPHA_MASK              0x3000u         /* [13:12] */
#define PM2TAG_DITHER_MODE_COLOR_FORMAT_EXTENSION_SHIFT  16
#define PM2TAG_DITHER_MODE_COLOR_FORMAT_EXTENSION_MASK   0x10000u        /* [16:16] */
#define PM2TAG_FB_SOFTWARE_WRITE_MASK                    0x104           /* mask */
#define PM2R_FB_SOFTWARE_WRITE_MASK                      0x8820
#define PM2TAG_LOGICAL_OP_MODE                           0x105           /* raw */
#define PM2R_LOGICAL_OP_MODE                             0x8828
#define PM2TAG_LOGICAL_OP_MODE_ENABLE_SHIFT              0
#define PM2TAG_LOGICAL_OP_MODE_ENABLE_MASK               0x1u            /* [0:0] */
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_SHIFT            1
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_MASK             0x1eu           /* [4:1] */
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_CLEAR            (0u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_AND              (1u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_AND_REVERSE      (2u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_COPY             (3u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_AND_INVERTED     (4u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_NOOP             (5u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_XOR              (6u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_OR               (7u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_NOR              (8u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_EQUIV            (9u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_INVERT           (10u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_OR_REVERSE       (11u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_COPY_INVERTED    (12u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_OR_INVERTED      (13u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_NAND             (14u << 1)
#define PM2TAG_LOGICAL_OP_MODE_LOGIC_OP_SET              (15u << 1)
#define PM2TAG_LOGICAL_OP_MODE_USE_CONSTANT_FB_WRITE_DATA_SHIFT 5
#define PM2TAG_LOGICAL_OP_MODE_USE_CONSTANT_FB_WRITE_DATA_MASK 0x20u     /* [5:5] */
#define PM2TAG_FB_WRITE_DATA                             0x106           /* no-op (any value) */
#define PM2R_FB_WRITE_DATA                               0x8830
#define PM2TAG_LB_READ_MODE                              0x110           /* no-op (any value) */
#define PM2R_LB_READ_MODE                                0x8880
#define PM2TAG_LB_WRITE_MODE                             0x118           /* no-op (only 0) */
#define PM2R_LB_WRITE_MODE                               0x88c0
#define PM2TAG_WINDOW                                    0x130           /* no-op (only 0) */
#define PM2R_WINDOW                                      0x8980
#define PM2TAG_STENCIL_MODE                              0x131           /* no-op (only 0) */
#define PM2R_STENCIL_MODE                                0x8988
#define PM2TAG_DEPTH_MODE                                0x134           /* no-op (only 0) */
#define PM2R_DEPTH_MODE                                  0x89a0
#define PM2TAG_FB_READ_MODE                              0x150           /* raw */
#define PM2R_FB_READ_MODE                                0x8a80
#define PM2TAG_FB_READ_MODE_PACKED_PP_SHIFT              0
#define PM2TAG_FB_READ_MODE_PACKED_PP_MASK               0x1ffu          /* [8:0] */
#define PM2TAG_FB_READ_MODE_READ_SOURCE_ENABLE_SHIFT     9
#define PM2TAG_FB_READ_MODE_READ_SOURCE_ENABLE_MASK      0x200u          /* [9:9] */
#define PM2TAG_FB_READ_MODE_READ_DESTINATION_ENABLE_SHIFT 10
#define PM2TAG_FB_READ_MODE_READ_DESTINATION_ENABLE_MASK 0x400u          /* [10:10] */
#define PM2TAG_FB_READ_MODE_WINDOW_ORIGIN_BOTTOM_SHIFT   16
#define PM2TAG_FB_READ_MODE_WINDOW_ORIGIN_BOTTOM_MASK    0x10000u        /* [16:16] */
#define PM2TAG_FB_READ_MODE_PACKED_DATA_SHIFT            19
#define PM2TAG_FB_READ_MODE_PACKED_DATA_MASK             0x80000u        /* [19:19] */
#define PM2TAG_FB_SOURCE_OFFSET                          0x151           /* no-op (only 0) */
#define PM2R_FB_SOURCE_OFFSET                            0x8a88
#define PM2TAG_FB_PIXEL_OFFSET                           0x152           /* no-op (only 0) */
#define PM2R_FB_PIXEL_OFFSET                             0x8a90
#define PM2TAG_FB_WINDOW_BASE                            0x156           /* raw */
#define PM2R_FB_WINDOW_BASE                              0x8ab0
#define PM2TAG_FB_WINDOW_BASE_BASE_SHIFT                 0
#define PM2TAG_FB_WINDOW_BASE_BASE_MASK                  0xffffffu       /* [23:0] */
#define PM2TAG_FB_WRITE_MODE                             0x157           /* raw */
#define PM2R_FB_WRITE_MODE                               0x8ab8
#define PM2TAG_FB_WRITE_MODE_WRITE_ENABLE_SHIFT          0
#define PM2TAG_FB_WRITE_MODE_WRITE_ENABLE_MASK           0x1u            /* [0:0] */
#define PM2TAG_FB_WRITE_MODE_UPLOAD_DATA_SHIFT           3
#define PM2TAG_FB_WRITE_MODE_UPLOAD_DATA_MASK            0x8u            /* [3:3] */
#define PM2TAG_FB_HARDWARE_WRITE_MASK                    0x158           /* mask */
#define PM2R_FB_HARDWARE_WRITE_MASK                      0x8ac0
#define PM2TAG_FB_BLOCK_COLOR                            0x159           /* raw */
#define PM2R_FB_BLOCK_COLOR                              0x8ac8
#define PM2TAG_FB_READ_PIXEL                             0x15a           /* raw */
#define PM2R_FB_READ_PIXEL                               0x8ad0
#define PM2TAG_FB_READ_PIXEL_PIXEL_SIZE_SHIFT            0
#define PM2TAG_FB_READ_PIXEL_PIXEL_SIZE_MASK             0x7u            /* [2:0] */
#define PM2TAG_FB_READ_PIXEL_PIXEL_SIZE_BPP8             (0u << 0)
#define PM2TAG_FB_READ_PIXEL_PIXEL_SIZE_BPP16            (1u << 0)
#define PM2TAG_FB_READ_PIXEL_PIXEL_SIZE_BPP32            (2u << 0)
#define PM2TAG_FB_READ_PIXEL_PIXEL_SIZE_BPP4             (3u << 0)
#define PM2TAG_FB_READ_PIXEL_PIXEL_SIZE_BPP24            (4u << 0)
#define PM2TAG_FILTER_MODE                               0x180           /* raw */
#define PM2R_FILTER_MODE                                 0x8c00
#define PM2TAG_FILTER_MODE_SYNC_TAG_SHIFT                10
#define PM2TAG_FILTER_MODE_SYNC_TAG_MASK                 0x400u          /* [10:10] */
#define PM2TAG_FILTER_MODE_SYNC_DATA_SHIFT               11
#define PM2TAG_FILTER_MODE_SYNC_DATA_MASK                0x800u          /* [11:11] */
#define PM2TAG_STATISTIC_MODE                            0x181           /* no-op (only 0) */
#define PM2R_STATISTIC_MODE                              0x8c08
#define PM2TAG_SYNC                                      0x188           /* raw */
#define PM2R_SYNC                                        0x8c40
#define PM2TAG_SYNC_INTERRUPT_ENABLE_SHIFT               31
#define PM2TAG_SYNC_INTERRUPT_ENABLE_MASK                0x80000000u     /* [31:31] */
#define PM2TAG_FB_SOURCE_DELTA                           0x1b1           /* no-op (any value) */
#define PM2R_FB_SOURCE_DELTA                             0x8d88
#define PM2TAG_CONFIG                                    0x1b2           /* no-op (only 0) */
#define PM2R_CONFIG                                      0x8d90
#define PM2TAG_YUV_MODE                                  0x1e0           /* no-op (only 0) */
#define PM2R_YUV_MODE                                    0x8f00
#define PM2TAG_DELTA_MODE                                0x260           /* no-op (only 0) */
#define PM2R_DELTA_MODE                                  0x9300

/* RAMDAC index registers (via RDIndexLow/High + RDIndexedData) */
#define PM2I_MISC_CONTROL                                0x000           /* DAC width and pixel-path options (stored). */
#define PM2I_SYNC_CONTROL                                0x001           /* Sync polarity (stored). */
#define PM2I_DAC_CONTROL                                 0x002           /* DAC power (stored). */
#define PM2I_PIXEL_SIZE                                  0x003           /* Displayed pixel size: 0 = 8, 1 = 16, 2 = 32 bpp. */
#define PM2I_COLOR_FORMAT                                0x004           /* Displayed colour format: 0x20 = 8888, 0x70 = 565, 0x2E = CI8. */
#define PM2I_D_CLK_CONTROL                               0x200           /* Pixel clock control (stored). */
#define PM2I_D_CLK0_PRE_SCALE                            0x201           /* Pixel clock M (stored). */
#define PM2I_D_CLK0_FEEDBACK_SCALE                       0x202           /* Pixel clock N (stored). */
#define PM2I_D_CLK0_POST_SCALE                           0x203           /* Pixel clock P (stored). */

/* Pixel formats */
#define PM2_FMT_X8R8G8B8_BYTES                           4               /* 32 bpp true colour, 0xXXRRGGBB. */
#define PM2_FMT_X8R8G8B8_READ_PIXEL                      2               /* FBReadPixel */
#define PM2_FMT_X8R8G8B8_DITHER_FORMAT                   0               /* DitherMode ColorFormat */
#define PM2_FMT_X8R8G8B8_DITHER_EXTENSION                0               /* DitherMode ColorFormatExtension */
#define PM2_FMT_X8R8G8B8_RD_PIXEL_SIZE                   0x02
#define PM2_FMT_X8R8G8B8_RD_COLOR_FORMAT                 0x20
#define PM2_FMT_R5G6B5_BYTES                             2               /* 16 bpp true colour. */
#define PM2_FMT_R5G6B5_READ_PIXEL                        1               /* FBReadPixel */
#define PM2_FMT_R5G6B5_DITHER_FORMAT                     0               /* DitherMode ColorFormat */
#define PM2_FMT_R5G6B5_DITHER_EXTENSION                  1               /* DitherMode ColorFormatExtension */
#define PM2_FMT_R5G6B5_RD_PIXEL_SIZE                     0x01
#define PM2_FMT_R5G6B5_RD_COLOR_FORMAT                   0x70
#define PM2_FMT_C8_BYTES                                 1               /* 8 bpp colour index (FastFill and raw writes only; displayed as grey). */
#define PM2_FMT_C8_READ_PIXEL                            0               /* FBReadPixel */
#define PM2_FMT_C8_RD_PIXEL_SIZE                         0x00
#define PM2_FMT_C8_RD_COLOR_FORMAT                       0x2e

#endif /* PM2_PERMEDIA2V_REGS_H */
