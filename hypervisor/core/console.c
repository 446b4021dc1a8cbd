// SPDX-License-Identifier: MIT
/*
 * printk, cell console lines and where they go: the board UART the
 * hypervisor owns (drivers/uart.c) or, with no console (SPH_CONSOLE_NONE,
 * every UART a cell's), the log in its own memory (struct sph_log in
 * sph/abi.h) that run-qemu.sh reads after the run. Either is held only to
 * take one finished line, under a fair lock, so no CPU waits for more than
 * one line of each CPU ahead of it. A cell's output is limited by its
 * budget (sph/hypercall.h) and stops when the cell ends.
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/uart.h>
#include <sph/abi.h>
#include <sph/hypercall.h>

#define BUDGET_BURST (64 * 1024)
#define BUDGET_RATE (16 * 1024) /* bytes per second */
#define BUDGET_RESUME (BUDGET_BURST / 2)

static spinlock_t console_lock;
static struct sph_log *mem_log; /* no console: where lines go instead */
static bool log_mid_line[2];

bool console_init(uint32_t type, uint64_t base, void *log_area)
{
	static const struct sph_log_ring rings[2] = {
		{ 0, 128, SPH_LOG_HYP_RING },
		{ 0, 128 + SPH_LOG_HYP_RING,
		  SPH_LOG_SIZE - 128 - SPH_LOG_HYP_RING },
	};

	if (type != SPH_CONSOLE_NONE)
		return uart_init(type, base);
	mem_log = memset(log_area, 0, sizeof(*mem_log));
	memcpy(mem_log->ring, rings, sizeof(rings));
	mem_log->magic = SPH_LOG_MAGIC;
	return true;
}

/* One byte into ring @r of the log; its lines start with their number. */
static void log_putc(unsigned int r, char c)
{
	struct sph_log_ring *ring = &mem_log->ring[r];
	char *data = (char *)mem_log + ring->offset;
	char seq[10];
	unsigned int i;

	if (!log_mid_line[r]) {
		snprintk(seq, sizeof(seq), "%08x ", (uint32_t)mem_log->seq++);
		log_mid_line[r] = true;
		for (i = 0; i < 9; i++)
			data[ring->head++ % ring->size] = seq[i];
	}
	data[ring->head++ % ring->size] = c;
	log_mid_line[r] = c != '\n';
}

/* Send a formatted line; a cell's only while the cell runs (@cell). */
static void console_write(const char *s, size_t n, const struct cell *cell)
{
	spin_lock(&console_lock);
	if (!cell ||
	    __atomic_load_n(&cell->state, __ATOMIC_ACQUIRE) == CELL_RUNNING) {
		for (; n; n--, s++) {
			if (mem_log) {
				log_putc(cell ? 1 : 0, *s);
				continue;
			}
			if (*s == '\n')
				uart_putc('\r');
			uart_putc(*s);
		}
	}
	spin_unlock(&console_lock);
}

struct buf {
	char *p;
	size_t len, size;
};

static void put(struct buf *b, char c)
{
	if (b->len + 1 < b->size)
		b->p[b->len++] = c;
}

static void put_num(struct buf *b, uint64_t v, unsigned int base, bool neg,
		    int width, char pad, bool left)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	for (; !left && width > n; width--)
		put(b, pad);
	while (n)
		put(b, tmp[--n]), width--;
	for (; width > 0; width--)
		put(b, ' ');
}

static void format(struct buf *b, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		bool left = false, is_long = false;
		char pad = ' ';
		int width = 0;
		const char *s;
		int64_t v;

		if (*fmt != '%') {
			put(b, *fmt);
			continue;
		}
		if (*++fmt == '-')
			left = true, fmt++;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l')
			is_long = true, fmt++;
		switch (*fmt) {
		case 'c':
			put(b, (char)va_arg(ap, int));
			break;
		case 's':
			s = va_arg(ap, const char *);
			for (width -= (int)strlen(s); !left && width > 0;
			     width--)
				put(b, ' ');
			while (*s)
				put(b, *s++);
			for (; width > 0; width--)
				put(b, ' ');
			break;
		case 'd':
			v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(b, v < 0 ? -(uint64_t)v : (uint64_t)v, 10,
				v < 0, width, pad, left);
			break;
		case 'u':
		case 'x':
			put_num(b,
				is_long ? va_arg(ap, uint64_t)
					: va_arg(ap, unsigned int),
				*fmt == 'u' ? 10 : 16, false, width, pad, left);
			break;
		case 'p':
			put(b, '0');
			put(b, 'x');
			put_num(b, (uintptr_t)va_arg(ap, void *), 16, false,
				width, pad, left);
			break;
		default:
			put(b, *fmt);
		}
	}
	b->p[b->len] = 0;
}

void vprintk(const char *fmt, va_list ap)
{
	char line[256];
	struct buf b = { line, 0, sizeof(line) };

	format(&b, fmt, ap);
	console_write(line, b.len, NULL);
}

void snprintk(char *buf, size_t size, const char *fmt, ...)
{
	struct buf b = { buf, 0, size };
	va_list ap;

	va_start(ap, fmt);
	format(&b, fmt, ap);
	va_end(ap);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

static void cell_printk(struct cell *cell, const char *fmt, ...)
	printf_like(2, 3);

static void cell_printk(struct cell *cell, const char *fmt, ...)
{
	char line[CONSOLE_LINE + 64];
	struct buf b = { line, 0, sizeof(line) };
	va_list ap;

	va_start(ap, fmt);
	format(&b, fmt, ap);
	va_end(ap);
	console_write(line, b.len, cell);
}

void console_cell_init(struct cell *cell)
{
	cell->budget.bytes = BUDGET_BURST;
	cell->budget.stamp = arch_counter();
}

/*
 * How many of @n bytes the cell may print now; the rest are dropped. A
 * cell that ran out stays muted until half its burst has come back, so a
 * flood gets through in rare bursts, each announced by one note.
 */
static uint64_t budget_take(struct cell *cell, uint64_t n)
{
	struct console_budget *b = &cell->budget;
	uint64_t freq = arch_counter_freq(), now, add, ok = 0, dropped = 0;

	spin_lock(&b->lock);
	now = arch_counter();
	add = (now - b->stamp) / (freq / BUDGET_RATE ?: 1);
	if (b->bytes + add >= BUDGET_BURST) {
		b->bytes = BUDGET_BURST;
		b->stamp = now;
	} else {
		b->bytes += add;
		b->stamp += add * (freq / BUDGET_RATE ?: 1);
	}
	if (!b->dropped || b->bytes >= BUDGET_RESUME) {
		dropped = b->dropped;
		ok = MIN(n, b->bytes);
		b->bytes -= ok;
		b->dropped = 0;
	}
	b->dropped += n - ok;
	spin_unlock(&b->lock);
	if (dropped)
		cell_printk(cell, "[%s] %lu bytes dropped\n", cell->name,
			    dropped);
	return ok;
}

static void cell_line(struct percpu *cpu)
{
	cpu->line[cpu->line_len] = 0;
	cell_printk(cpu->cell, "[%s] %s\n", cpu->cell->name, cpu->line);
	cpu->line_len = 0;
}

void console_cell_flush(struct percpu *cpu)
{
	struct console_budget *b = &cpu->cell->budget;
	uint64_t dropped;

	if (cpu->line_len)
		cell_line(cpu);
	spin_lock(&b->lock);
	dropped = b->dropped;
	b->dropped = 0;
	spin_unlock(&b->lock);
	if (dropped)
		cell_printk(cpu->cell, "[%s] %lu bytes dropped\n",
			    cpu->cell->name, dropped);
}

/* A cell's text goes out escaped: no control sequence, no forged line. */
static void cell_putc(struct percpu *cpu, char c)
{
	unsigned int need = (c >= ' ' && c != 0x7f) || c == '\t' ? 1 : 4;

	if (c == '\r')
		return;
	if (c == '\n') {
		cell_line(cpu);
		return;
	}
	if (cpu->line_len + need > CONSOLE_LINE)
		cell_line(cpu);
	if (need == 1) {
		cpu->line[cpu->line_len++] = c;
	} else {
		snprintk(&cpu->line[cpu->line_len], 5, "\\x%02x", (uint8_t)c);
		cpu->line_len += 4;
	}
}

void console_cell_write(struct percpu *cpu, const char *s, uint64_t n)
{
	for (n = budget_take(cpu->cell, n); n; n--)
		cell_putc(cpu, *s++);
}

noreturn void hyp_exit(int status)
{
	printk("sph: exit status %d\n", status);
	if (mem_log) {
		/* Written last: a reader that finds it has the whole log. */
		mem_log->status = status;
		__atomic_store_n(&mem_log->exited, SPH_LOG_EXITED,
				 __ATOMIC_RELEASE);
		arch_sync_memory(mem_log, SPH_LOG_SIZE);
	}
	arch_power_off();
}

noreturn void panic(const char *fmt, ...)
{
	char line[256];
	struct buf b = { line, 0, sizeof(line) };
	va_list ap;

	va_start(ap, fmt);
	format(&b, "sph: panic: ", ap);
	format(&b, fmt, ap);
	va_end(ap);
	console_write(line, b.len, NULL);
	hyp_exit(EXIT_BROKEN);
}
