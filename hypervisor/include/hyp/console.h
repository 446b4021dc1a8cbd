/* SPDX-License-Identifier: MIT */
/*
 * The board console belongs to the hypervisor, or it has none and keeps
 * a log in its memory instead (struct sph_log). Its own messages start
 * with "sph: "; a cell's output is printed a line at a time, prefixed
 * with the cell's name. The last line of a run is "sph: exit status N".
 */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include <stdarg.h>
#include <hyp/lib.h>

struct cell;
struct percpu;

/* QEMU's exit status when the runtime refuses to boot or panics. */
#define EXIT_BROKEN 255

/*
 * console_init - print to the UART of SPH_CONSOLE_* @type at @base, or
 * with SPH_CONSOLE_NONE into the log at @log_area (SPH_LOG_SIZE bytes
 * no cell maps). False if the type is one no driver knows.
 */
bool console_init(uint32_t type, uint64_t base, void *log_area);

/* printk - formatted output: %c %s %d %u %x %p, l/ll, width, 0 and -. */
void printk(const char *fmt, ...) printf_like(1, 2);
void vprintk(const char *fmt, va_list ap);

/* snprintk - the same format into @buf, always NUL-terminated. */
void snprintk(char *buf, size_t size, const char *fmt, ...) printf_like(3, 4);

/* console_cell_init - a full output budget for @cell. */
void console_cell_init(struct cell *cell);

/* console_cell_write - @n bytes of cell output from @cpu's vCPU, as far
 * as the cell's budget allows. */
void console_cell_write(struct percpu *cpu, const char *s, uint64_t n);

/* console_cell_flush - print @cpu's pending partial line and the note of
 * bytes its cell dropped, if any. */
void console_cell_flush(struct percpu *cpu);

/* hyp_exit - print the final "sph: exit status N" line, record the
 * status in the log if there is one, power off. */
noreturn void hyp_exit(int status);

/* panic - report a hypervisor bug or an unusable system and end QEMU. */
noreturn void panic(const char *fmt, ...) printf_like(1, 2);

#endif
