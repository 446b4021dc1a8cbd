/* SPDX-License-Identifier: MIT */
/* The board console's UART (drivers/uart.c): polled transmit only. */
#ifndef HYP_UART_H
#define HYP_UART_H

#include <hyp/lib.h>

/* uart_init - drive the UART of SPH_CONSOLE_* @type at @base; false (and
 * no output) if the runtime has no driver for that type. */
bool uart_init(uint32_t type, uint64_t base);

/* uart_putc - send one byte, waiting while the transmit FIFO is full. */
void uart_putc(char c);

#endif
