// SPDX-License-Identifier: MIT
/* Cells: creation, boot order, lifecycle and vCPU power (see cell.h). */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/mem.h>
#include <hyp/system.h>
#include <sph/hypercall.h>
#include <asm/traps.h>

static struct cell cells[SPH_MAX_CPUS];
static spinlock_t life_lock;	  /* cell states, vCPU power, boot turns */
static unsigned int cells_left;	  /* started cells not yet ended */
static unsigned int boot_turn;	  /* rank of the cell whose CPUs enter now */
static unsigned int critical_end; /* 1 + the last rank of a critical cell */
static unsigned int vcpus;	  /* CPUs of started cells */
static unsigned int parked;	  /* of them, parked for good */

static uint64_t ram_size(const struct sph_cell *c)
{
	uint64_t size = 0;
	unsigned int i;
	const struct sph_region *r = &sph_regions(sys)[c->first_region];

	for (i = 0; i < c->num_regions; i++)
		if (!(r[i].flags & (SPH_REGION_IO | SPH_REGION_SHARED)))
			size += r[i].size;
	return size;
}

/*
 * An image with the arm64 Linux Image header (magic "ARM\x64" at byte 56)
 * boots by the Linux protocol: only vCPU 0 enters; the others stay off
 * until the cell powers them on with PSCI CPU_ON.
 */
static bool linux_image(const struct sph_cell *c)
{
	const uint32_t *magic = (const uint32_t *)(c->image_pa + 56);

	return c->image_size >= 64 && *magic == 0x644d5241;
}

/*
 * The cell's stage 2, console budget and interrupts. A critical cell gets
 * them from the boot CPU before anything starts; any other cell from its
 * own first CPU once the critical cells have entered (cell_boot), so that
 * building a large cell does not delay a critical one.
 */
static void cell_setup(struct cell *cell)
{
	const struct sph_cell *c = cell->cfg;

	mem_map_cell(cell);
	console_cell_init(cell);
	arch_cell_irqs(cell);
	arch_stage2_commit();
	printk("sph: cell %s: %u vCPU(s) on CPU mask 0x%lx, %lu KiB RAM, "
	       "entry 0x%lx, boot order %u%s%s\n",
	       cell->name, cell->num_vcpus, c->cpu_mask, ram_size(c) >> 10,
	       c->entry, c->boot_order,
	       c->flags & SPH_CELL_CRITICAL ? " (critical)" : "",
	       cell->vcpus_on < cell->num_vcpus ? ", Linux boot protocol" : "");
}

static void cell_create(struct cell *cell, unsigned int index)
{
	const struct sph_cell *c = &sph_cells(sys)[index];
	bool one_vcpu;
	unsigned int id;

	cell->cfg = c;
	cell->name = sph_string(sys, c->name);
	if (!c->image_size) {
		printk("sph: cell %s has no image: not started\n", cell->name);
		return;
	}
	one_vcpu = linux_image(c);
	for (id = 0; id < SPH_MAX_CPUS; id++) {
		struct percpu *cpu = &cpus[id];

		if (!(c->cpu_mask >> id & 1))
			continue;
		cpu->stack_top =
			(uint64_t)mem_alloc_raw(STACK_SIZE, 16) + STACK_SIZE;
		cpu->cell = cell;
		cpu->vcpu = cell->num_vcpus;
		cpu->power = one_vcpu && cell->num_vcpus ? VCPU_OFF : VCPU_ON;
		cpu->entry = c->entry;
		cpu->arg = c->dtb_ipa;
		cell->vcpu[cell->num_vcpus++] = cpu;
	}
	cell->vcpus_on = one_vcpu ? 1 : cell->num_vcpus;
	cell->state = CELL_RUNNING;
	if (c->flags & SPH_CELL_CRITICAL)
		cell_setup(cell);
}

struct cell *cell_of(unsigned int index)
{
	return index < sys->cells.count && cells[index].vcpu[0] ? &cells[index]
								: NULL;
}

static bool boots_before(const struct cell *a, const struct cell *b)
{
	if (a->cfg->boot_order != b->cfg->boot_order)
		return a->cfg->boot_order < b->cfg->boot_order;
	return a->cfg->id < b->cfg->id;
}

unsigned int cells_init(void)
{
	unsigned int i, j, n = sys->cells.count;

	for (i = 0; i < n; i++)
		cell_create(&cells[i], i);
	for (i = 0; i < n; i++) {
		if (cells[i].state != CELL_RUNNING)
			continue;
		for (j = 0; j < n; j++)
			if (cells[j].state == CELL_RUNNING &&
			    boots_before(&cells[j], &cells[i]))
				cells[i].rank++;
		cells_left++;
		vcpus += cells[i].num_vcpus;
	}
	for (i = 0; i < n; i++)
		if (cells[i].state == CELL_RUNNING &&
		    cells[i].cfg->flags & SPH_CELL_CRITICAL)
			critical_end = MAX(critical_end, cells[i].rank + 1);
	return cells_left;
}

noreturn void cells_summary(void)
{
	unsigned int i, failed = 0;

	mem_report();
	printk("sph: all cells have ended and their %u CPU(s) are parked\n"
	       "sph:   %-16s %-9s %s\n",
	       vcpus, "cell", "state", "status");
	for (i = 0; i < sys->cells.count; i++) {
		const struct cell *cell = &cells[i];

		if (cell->state == CELL_EXITED) {
			printk("sph:   %-16s %-9s %d\n", cell->name, "exited",
			       cell->status);
			failed += cell->status != 0;
		} else {
			printk("sph:   %-16s %-9s -\n", cell->name,
			       cell->state == CELL_STOPPED ? "stopped"
							   : "no image");
			failed += cell->state == CELL_STOPPED;
		}
	}
	arch_report();
	hyp_exit((int)failed);
}

static noreturn void park(void)
{
	__atomic_add_fetch(&parked, 1, __ATOMIC_RELEASE);
	arch_wake();
	for (;;)
		arch_wait();
}

void cell_check(struct percpu *cpu)
{
	enum cell_state s =
		__atomic_load_n(&cpu->cell->state, __ATOMIC_ACQUIRE);

	if (s == CELL_EXITED || s == CELL_STOPPED)
		park();
}

/* Wait in EL2 until this vCPU is powered on, then enter it. */
static noreturn void vcpu_wait(struct percpu *cpu)
{
	for (;;) {
		cell_check(cpu);
		if (__atomic_load_n(&cpu->power, __ATOMIC_ACQUIRE) == VCPU_ON)
			arch_vcpu_enter(cpu, cpu->entry, cpu->arg);
		arch_wait();
	}
}

/* Copy the cell's image, DTB and initrd into it; on its vCPU 0's CPU. */
static void cell_load(struct cell *cell)
{
	const struct sph_cell *c = cell->cfg;

	if (cell_copy_in(cell, c->image_ipa, (const void *)c->image_pa,
			 c->image_size) ||
	    cell_copy_in(cell, c->dtb_ipa, sph_data(sys, c->dtb_offset),
			 c->dtb_size) ||
	    cell_copy_in(cell, c->initrd_ipa, (const void *)c->initrd_pa,
			 c->initrd_size))
		panic("cell %s: image, DTB or initrd outside its RAM\n",
		      cell->name);
	__atomic_store_n(&cell->loaded, true, __ATOMIC_RELEASE);
	arch_wake();
}

/*
 * Each cell is loaded by its own first CPU and its CPUs enter when it is
 * loaded and its turn has come. Critical cells load at once; the others
 * only when every critical cell has entered, so that their copies (a
 * staged image, or the page-by-page walk over one loaded in place) do not
 * delay a critical cell: under QEMU's -icount they share one virtual
 * clock, on hardware the memory bandwidth. A critical cell waits for
 * nothing but the cells before it in boot order.
 */
noreturn void cell_boot(struct percpu *cpu)
{
	struct cell *cell = cpu->cell;
	bool first;

	if (cpu->vcpu == 0) {
		/* Not past its own turn: a cell booting before a critical
		 * one is on its way anyway. */
		unsigned int after = MIN(cell->rank, critical_end);

		if (!(cell->cfg->flags & SPH_CELL_CRITICAL)) {
			while (__atomic_load_n(&boot_turn, __ATOMIC_ACQUIRE) <
			       after)
				arch_wait();
			cell_setup(cell);
		}
		cell_load(cell);
	}
	while (!__atomic_load_n(&cell->loaded, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&boot_turn, __ATOMIC_ACQUIRE) != cell->rank)
		arch_wait();
	spin_lock(&life_lock);
	first = cell->entered++ == 0;
	spin_unlock(&life_lock);
	if (first)
		printk("sph: starting cell %s\n", cell->name);
	spin_lock(&life_lock);
	if (++cell->ready == cell->num_vcpus) {
		__atomic_store_n(&boot_turn, cell->rank + 1, __ATOMIC_RELEASE);
		arch_wake();
	}
	spin_unlock(&life_lock);
	vcpu_wait(cpu);
}

/*
 * The one way a cell ends: the first caller reports, everyone parks. The
 * report is printed after the lifecycle lock is released (no CPU waits
 * for the console under it) and after the state change, so nothing the
 * cell's other vCPUs still print can follow it. Returns whether this
 * caller ended the cell; *last is set when it was the last cell.
 */
static bool cell_mark_ended(struct percpu *cpu, enum cell_state state,
			    int status, bool *last)
{
	struct cell *cell = cpu->cell;
	bool first;
	unsigned int i;

	console_cell_flush(cpu);
	spin_lock(&life_lock);
	first = cell->state == CELL_RUNNING;
	*last = false;
	if (first) {
		cell->status = status;
		__atomic_store_n(&cell->state, state, __ATOMIC_RELEASE);
		for (i = 0; i < cell->num_vcpus; i++)
			if (cell->vcpu[i] != cpu)
				arch_kick(cell->vcpu[i]);
		arch_wake();
		*last = --cells_left == 0;
	}
	spin_unlock(&life_lock);
	return first;
}

static noreturn void cell_park_after_end(bool last)
{
	if (last) {
		/* The summary tells that every CPU is parked: wait. */
		while (__atomic_load_n(&parked, __ATOMIC_ACQUIRE) + 1 < vcpus)
			arch_wait();
		cells_summary();
	}
	park();
}

static noreturn void cell_end(struct percpu *cpu, enum cell_state state,
			      int status, const char *fmt, ...)
{
	bool last;
	va_list ap;

	if (cell_mark_ended(cpu, state, status, &last)) {
		va_start(ap, fmt);
		vprintk(fmt, ap);
		va_end(ap);
	}
	cell_park_after_end(last);
}

noreturn void cell_exit(struct percpu *cpu, int status)
{
	cell_end(cpu, CELL_EXITED, status,
		 "sph: cell %s exited with status %d\n", cpu->cell->name,
		 status);
}

noreturn void cell_stop(struct percpu *cpu, const char *fmt, ...)
{
	bool last;
	va_list ap;

	if (cell_mark_ended(cpu, CELL_STOPPED, 0, &last)) {
		va_start(ap, fmt);
		vprintk(fmt, ap);
		va_end(ap);
	}
	cell_park_after_end(last);
}

long vcpu_on(struct percpu *cpu, uint64_t n, uint64_t entry, uint64_t arg)
{
	struct cell *cell = cpu->cell;
	struct percpu *target;
	long ret = PSCI_ALREADY_ON;
	uint64_t avail;

	if (n >= cell->num_vcpus)
		return PSCI_INVALID_PARAMETERS;
	if (entry & 3 || !cell_ptr(cell, entry, SPH_REGION_EXEC, &avail))
		return PSCI_INVALID_ADDRESS;
	target = cell->vcpu[n];
	spin_lock(&life_lock);
	if (target->power == VCPU_OFF) {
		target->entry = entry;
		target->arg = arg;
		__atomic_store_n(&target->power, VCPU_ON, __ATOMIC_RELEASE);
		cell->vcpus_on++;
		arch_wake();
		ret = PSCI_SUCCESS;
	}
	spin_unlock(&life_lock);
	return ret;
}

noreturn void vcpu_off(struct percpu *cpu)
{
	bool last;

	spin_lock(&life_lock);
	cpu->power = VCPU_OFF;
	last = --cpu->cell->vcpus_on == 0;
	spin_unlock(&life_lock);
	if (last)
		cell_end(cpu, CELL_EXITED, 0,
			 "sph: cell %s exited: all its vCPUs are off\n",
			 cpu->cell->name);
	vcpu_wait(cpu);
}

long vcpu_affinity(struct percpu *cpu, uint64_t n)
{
	struct percpu *target;

	if (n >= cpu->cell->num_vcpus)
		return PSCI_INVALID_PARAMETERS;
	target = cpu->cell->vcpu[n];
	return __atomic_load_n(&target->power, __ATOMIC_ACQUIRE) == VCPU_ON ? 0
									    : 1;
}
