// SPDX-License-Identifier: GPL-2.0
/*
 * vpcib - the Virtual PCI Bus.
 *
 * A PCI host bridge for the devices the emulator simulates. The emulator serves their config
 * space through a small port interface (kmod/include/generated/vpcib_hw.h); this module turns it
 * into a root bus in a PCI domain of its own, so the kernel's PCI core enumerates the devices,
 * sizes and claims their BARs and binds ordinary PCI drivers to them. No kernel change and no
 * kprobes: the bus is a driver like pci-hyperv or vmd.
 *
 * Devices start unplugged. A device module finds its slot with vpcib_find_slot() and plugs it
 * with vpcib_plug(); vpcib_unplug() hot-removes it (the bound driver's remove() runs).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/spinlock.h>

#include <vpcib.h>
#include <generated/vpcib_hw.h>

/* Edge/level control registers of the two 8259 PICs. */
#define PIC_ELCR1 0x4d0

struct vpcib {
	struct device *root;
	struct pci_host_bridge *bridge;
	struct pci_bus *bus;
	struct pci_sysdata sysdata;
	struct resource mem;
	struct resource busn;
	struct resource *ports;
	unsigned int irq;
	unsigned int nslots;
};

static struct vpcib vpcib;
/* The port interface is stateful (address, then data): one user at a time. */
static DEFINE_RAW_SPINLOCK(vpcib_port_lock);

static inline u32 vp_read(unsigned int reg)
{
	return inl(VPCIB_PORT_BASE + reg);
}

static inline void vp_write(unsigned int reg, u32 val)
{
	outl(val, VPCIB_PORT_BASE + reg);
}

static int vpcib_cfg_read(struct pci_bus *bus, unsigned int devfn, int where,
			  int size, u32 *val)
{
	unsigned int data = VPCIB_PORT_BASE + VPCIB_REG_CFG_DATA + (where & 3);
	unsigned long flags;

	raw_spin_lock_irqsave(&vpcib_port_lock, flags);
	vp_write(VPCIB_REG_CFG_ADDR, VPCIB_CFG_ADDR(devfn, where));
	switch (size) {
	case 1:
		*val = inb(data);
		break;
	case 2:
		*val = inw(data);
		break;
	default:
		*val = inl(data);
		break;
	}
	raw_spin_unlock_irqrestore(&vpcib_port_lock, flags);
	return PCIBIOS_SUCCESSFUL;
}

static int vpcib_cfg_write(struct pci_bus *bus, unsigned int devfn, int where,
			   int size, u32 val)
{
	unsigned int data = VPCIB_PORT_BASE + VPCIB_REG_CFG_DATA + (where & 3);
	unsigned long flags;

	raw_spin_lock_irqsave(&vpcib_port_lock, flags);
	vp_write(VPCIB_REG_CFG_ADDR, VPCIB_CFG_ADDR(devfn, where));
	switch (size) {
	case 1:
		outb(val, data);
		break;
	case 2:
		outw(val, data);
		break;
	default:
		outl(val, data);
		break;
	}
	raw_spin_unlock_irqrestore(&vpcib_port_lock, flags);
	return PCIBIOS_SUCCESSFUL;
}

static struct pci_ops vpcib_ops = {
	.read = vpcib_cfg_read,
	.write = vpcib_cfg_write,
};

/* Every slot's INTA is wired to the bus's one interrupt line. */
static int vpcib_map_irq(const struct pci_dev *dev, u8 slot, u8 pin)
{
	return pin ? vpcib.irq : 0;
}

static u32 vpcib_slot_read(unsigned int slot, unsigned int reg)
{
	unsigned long flags;
	u32 val;

	raw_spin_lock_irqsave(&vpcib_port_lock, flags);
	vp_write(VPCIB_REG_SLOT_SEL, slot);
	val = vp_read(reg);
	raw_spin_unlock_irqrestore(&vpcib_port_lock, flags);
	return val;
}

static void vpcib_slot_write(unsigned int slot, unsigned int reg, u32 val)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&vpcib_port_lock, flags);
	vp_write(VPCIB_REG_SLOT_SEL, slot);
	vp_write(reg, val);
	raw_spin_unlock_irqrestore(&vpcib_port_lock, flags);
}

int vpcib_find_slot(u32 class_mask, u32 class_value)
{
	unsigned int slot;

	for (slot = 0; slot < vpcib.nslots; slot++) {
		u32 id = vpcib_slot_read(slot, VPCIB_REG_SLOT_ID);
		u32 class = vpcib_slot_read(slot, VPCIB_REG_SLOT_CLASS) >> 8;

		if (id != 0xffffffff && (class & class_mask) == class_value)
			return slot;
	}
	return -ENODEV;
}
EXPORT_SYMBOL_GPL(vpcib_find_slot);

/* BARs are fixed by the emulator, as firmware leaves them: claim them, never move them. */
static void vpcib_claim_bars(struct pci_dev *pdev)
{
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct resource *r = &pdev->resource[i];

		if (!r->flags || r->parent)
			continue;
		if (pci_claim_resource(pdev, i))
			pci_warn(pdev, "BAR %d %pR does not fit the bus window %pR\n", i, r, &vpcib.mem);
	}
}

struct pci_dev *vpcib_plug(unsigned int slot)
{
	unsigned int devfn = PCI_DEVFN(slot, 0);
	struct pci_dev *pdev;

	if (slot >= vpcib.nslots)
		return ERR_PTR(-EINVAL);

	pci_lock_rescan_remove();
	pdev = pci_get_slot(vpcib.bus, devfn);
	if (pdev) {
		pci_unlock_rescan_remove();
		pci_dev_put(pdev);
		return ERR_PTR(-EBUSY);
	}
	vpcib_slot_write(slot, VPCIB_REG_SLOT_CTRL, VPCIB_SLOT_CTRL_PRESENT);
	if (!pci_scan_slot(vpcib.bus, devfn)) {
		vpcib_slot_write(slot, VPCIB_REG_SLOT_CTRL, 0);
		pci_unlock_rescan_remove();
		pr_err("slot %u: no device answered after plugging it in\n", slot);
		return ERR_PTR(-ENODEV);
	}
	pdev = pci_get_slot(vpcib.bus, devfn);
	vpcib_claim_bars(pdev);
	pci_bus_add_devices(vpcib.bus);
	pci_unlock_rescan_remove();
	return pdev;
}
EXPORT_SYMBOL_GPL(vpcib_plug);

void vpcib_unplug(struct pci_dev *pdev)
{
	unsigned int slot = PCI_SLOT(pdev->devfn);

	pci_lock_rescan_remove();
	pci_stop_and_remove_bus_device(pdev);
	pci_unlock_rescan_remove();
	pci_dev_put(pdev);
	vpcib_slot_write(slot, VPCIB_REG_SLOT_CTRL, 0);
}
EXPORT_SYMBOL_GPL(vpcib_unplug);

u32 vpcib_sideband_read(unsigned int slot, u32 reg)
{
	unsigned long flags;
	u32 val;

	raw_spin_lock_irqsave(&vpcib_port_lock, flags);
	vp_write(VPCIB_REG_SLOT_SEL, slot);
	vp_write(VPCIB_REG_SB_ADDR, reg);
	val = vp_read(VPCIB_REG_SB_DATA);
	raw_spin_unlock_irqrestore(&vpcib_port_lock, flags);
	return val;
}
EXPORT_SYMBOL_GPL(vpcib_sideband_read);

void vpcib_sideband_write(unsigned int slot, u32 reg, u32 val)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&vpcib_port_lock, flags);
	vp_write(VPCIB_REG_SLOT_SEL, slot);
	vp_write(VPCIB_REG_SB_ADDR, reg);
	vp_write(VPCIB_REG_SB_DATA, val);
	raw_spin_unlock_irqrestore(&vpcib_port_lock, flags);
}
EXPORT_SYMBOL_GPL(vpcib_sideband_write);

/* The devices' interrupt is a level (shared, PCI-style) line: tell the PIC so. */
static void vpcib_set_level_triggered(unsigned int irq)
{
	unsigned int port = PIC_ELCR1 + (irq >> 3);

	outb(inb(port) | BIT(irq & 7), port);
}

static int __init vpcib_init(void)
{
	struct pci_host_bridge *bridge;
	u32 info;
	int ret;

	if (!request_region(VPCIB_PORT_BASE, VPCIB_PORT_COUNT, KBUILD_MODNAME))
		return -EBUSY;
	if (vp_read(VPCIB_REG_MAGIC) != VPCIB_MAGIC) {
		pr_err("no virtual PCI bus at port %#x (magic %#x, expected %#x): is this the vgpu-lab emulator?\n",
		       VPCIB_PORT_BASE, vp_read(VPCIB_REG_MAGIC), VPCIB_MAGIC);
		ret = -ENODEV;
		goto release_ports;
	}
	if (vp_read(VPCIB_REG_VERSION) != VPCIB_VERSION) {
		pr_err("interface version %u, this module speaks %u\n",
		       vp_read(VPCIB_REG_VERSION), VPCIB_VERSION);
		ret = -ENODEV;
		goto release_ports;
	}
	info = vp_read(VPCIB_REG_INFO);
	vpcib.irq = VPCIB_INFO_IRQ(info);
	vpcib.nslots = min_t(unsigned int, VPCIB_INFO_SLOTS(info), 32);

	vpcib.root = root_device_register(KBUILD_MODNAME);
	if (IS_ERR(vpcib.root)) {
		ret = PTR_ERR(vpcib.root);
		goto release_ports;
	}

	vpcib.mem.name = "Virtual PCI Bus";
	vpcib.mem.start = vp_read(VPCIB_REG_MEM_BASE);
	vpcib.mem.end = vpcib.mem.start + vp_read(VPCIB_REG_MEM_SIZE) - 1;
	vpcib.mem.flags = IORESOURCE_MEM;
	ret = request_resource(&iomem_resource, &vpcib.mem);
	if (ret) {
		pr_err("memory window %pR is already in use\n", &vpcib.mem);
		goto unregister_root;
	}
	vpcib.busn.name = "Virtual PCI Bus";
	vpcib.busn.start = VPCIB_INFO_BUS(info);
	vpcib.busn.end = VPCIB_INFO_BUS(info);
	vpcib.busn.flags = IORESOURCE_BUS;

	bridge = pci_alloc_host_bridge(0);
	if (!bridge) {
		ret = -ENOMEM;
		goto release_mem;
	}
	vpcib.sysdata.domain = vp_read(VPCIB_REG_DOMAIN);
	vpcib.sysdata.node = NUMA_NO_NODE;
	pci_add_resource(&bridge->windows, &vpcib.mem);
	pci_add_resource(&bridge->windows, &vpcib.busn);
	bridge->dev.parent = vpcib.root;
	bridge->sysdata = &vpcib.sysdata;
	bridge->busnr = vpcib.busn.start;
	bridge->ops = &vpcib_ops;
	bridge->map_irq = vpcib_map_irq;
	bridge->swizzle_irq = pci_common_swizzle;

	vpcib_set_level_triggered(vpcib.irq);

	pci_lock_rescan_remove();
	ret = pci_scan_root_bus_bridge(bridge);
	if (ret) {
		pci_unlock_rescan_remove();
		pr_err("cannot create the root bus: %d\n", ret);
		pci_free_host_bridge(bridge);
		goto release_mem;
	}
	vpcib.bridge = bridge;
	vpcib.bus = bridge->bus;
	pci_bus_add_devices(vpcib.bus);
	pci_unlock_rescan_remove();

	pr_info("PCI domain %04x bus %02x, window %pR, INTx on IRQ %u, %u slots\n",
		vpcib.sysdata.domain, vpcib.bus->number, &vpcib.mem, vpcib.irq, vpcib.nslots);
	return 0;

release_mem:
	release_resource(&vpcib.mem);
unregister_root:
	root_device_unregister(vpcib.root);
release_ports:
	release_region(VPCIB_PORT_BASE, VPCIB_PORT_COUNT);
	return ret;
}

static void __exit vpcib_exit(void)
{
	unsigned int slot;

	/* Device modules hold a reference on us, so their devices are already unplugged. */
	pci_lock_rescan_remove();
	pci_stop_root_bus(vpcib.bus);
	pci_remove_root_bus(vpcib.bus);
	pci_unlock_rescan_remove();
	for (slot = 0; slot < vpcib.nslots; slot++)
		vpcib_slot_write(slot, VPCIB_REG_SLOT_CTRL, 0);
	release_resource(&vpcib.mem);
	root_device_unregister(vpcib.root);
	release_region(VPCIB_PORT_BASE, VPCIB_PORT_COUNT);
}

module_init(vpcib_init);
module_exit(vpcib_exit);

MODULE_DESCRIPTION("Virtual PCI Bus for the vgpu-lab emulator's devices");
MODULE_AUTHOR("vgpu-lab");
MODULE_LICENSE("GPL");
