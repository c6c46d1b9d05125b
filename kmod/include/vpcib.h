/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual PCI Bus: the registration API for the emulator's virtual devices.
 *
 * vpcib presents the devices the emulator offers in a PCI domain of its own. A device module
 * (vgpu for the graphics card, later others) finds its slot by class, plugs it (the PCI core then
 * enumerates it and binds a driver, exactly as for a hot-plugged card) and unplugs it on unload
 * (the bound driver's remove() runs first).
 */
#ifndef VPCIB_H
#define VPCIB_H

#include <linux/pci.h>

/* Slot of the first device whose class code matches (class & mask) == value, or -ENODEV. */
int vpcib_find_slot(u32 class_mask, u32 class_value);
/* Plug the slot's device; returns it with a reference held, or an ERR_PTR. */
struct pci_dev *vpcib_plug(unsigned int slot);
/* Remove the device from the PCI core (its driver's remove() runs) and unplug the slot. */
void vpcib_unplug(struct pci_dev *pdev);
/* Emulator-side controls of the slot's device (not the device's own registers). */
u32 vpcib_sideband_read(unsigned int slot, u32 reg);
void vpcib_sideband_write(unsigned int slot, u32 reg, u32 val);

#endif /* VPCIB_H */
