// SPDX-License-Identifier: MIT
/* printk, cell console lines and the PL011 the hypervisor owns. */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)
#define UARTCR 0x30
#define UARTCR_ENABLE 0x301 /* UARTEN | TXE | RXE */

static volatile uint32_t *uart;
static spinlock_t console_lock;

void console_init(uint64_t pl011_base)
{
	uart = (volatile uint32_t *)pl011_base;
	uart[UARTCR / 4] = UARTCR_ENABLE;
}

static void uart_putc(char c)
{
	while (uart[UARTFR / 4] & UARTFR_TXFF)
		;
	uart[UARTDR / 4] = (uint8_t)c;
}

/* Write whole lines under the lock so CPUs never interleave mid-line. */
static void console_write(const char *s, size_t n)
{
	if (!uart) {
		arch_debug_write(s);
		return;
	}
	spin_lock(&console_lock);
	while (n--) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s++);
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
	struct buf b = {line, 0, sizeof(line)};

	format(&b, fmt, ap);
	console_write(line, b.len);
}

void snprintk(char *buf, size_t size, const char *fmt, ...)
{
	struct buf b = {buf, 0, size};
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

static void cell_line(struct percpu *cpu)
{
	cpu->line[cpu->line_len] = 0;
	printk("[%s] %s\n", cpu->cell->name, cpu->line);
	cpu->line_len = 0;
}

void console_cell_flush(struct percpu *cpu)
{
	if (cpu->line_len)
		cell_line(cpu);
}

/* A cell's output cannot carry control sequences to the console. */
void console_cell_putc(struct percpu *cpu, char c)
{
	if (c == '\n')
		cell_line(cpu);
	else if (c != '\r')
		cpu->line[cpu->line_len++] =
			(c >= ' ' && c != 0x7f) || c == '\t' ? c : '?';
	if (cpu->line_len == CONSOLE_LINE)
		cell_line(cpu);
}

noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	printk("sph: panic: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	arch_exit(EXIT_BROKEN);
}
