/* SPDX-License-Identifier: MIT */
/*
 * What a cell may ask of the sph runtime: the hypercalls and the PSCI
 * subset it emulates. Cells include this header; so does the runtime.
 *
 * Hypercalls use `HVC #0`, SMC Calling Convention style: the function id
 * in w0, arguments in x1..x2, the result in x0 (negative on error). The
 * ids are SMC64 fast calls owned by "vendor specific hypervisor service".
 * Buffers are passed by guest-physical address (IPA) and must lie in the
 * caller's own RAM. Every call does a bounded amount of work.
 *
 * Console output is printed a whole line at a time as "[cell-name] text",
 * control characters escaped as \xNN, so a cell cannot forge the
 * hypervisor's "sph: " lines. Each cell has an output budget (a burst of
 * 64 KiB, refilled at 16 KiB per second of counter time); what exceeds it
 * is dropped, and "[cell-name] N bytes dropped" is printed once the cell
 * may print again (half the burst refilled) or when it ends.
 *
 * PSCI is reached with `SMC #0` (or `HVC #0`) and the standard function
 * ids. Every other SMC stops the calling cell.
 */
#ifndef SPH_HYPERCALL_H
#define SPH_HYPERCALL_H

#define SPH_HC(n) (0xC6000000u | (n))

/* x1 = a character. Output is buffered per vCPU and printed a line at a
 * time as "[cell-name] line". Returns 0. */
#define SPH_HC_CONSOLE_PUTC SPH_HC(1)
/* x1 = buffer IPA, x2 = length. Takes at most SPH_CONSOLE_WRITE_MAX
 * bytes and returns how many it took: call again for the rest. */
#define SPH_HC_CONSOLE_WRITE SPH_HC(2)
#define SPH_CONSOLE_WRITE_MAX 128
/* Returns the cell's index in the system (sph_cell.id). */
#define SPH_HC_CELL_ID SPH_HC(3)
/* x1 = buffer IPA, x2 = its size. Stores the cell's name, NUL-terminated
 * and truncated to fit, and returns the name's full length. */
#define SPH_HC_CELL_NAME SPH_HC(4)
/* x1 = exit status (int). Ends the whole cell; does not return. */
#define SPH_HC_CELL_EXIT SPH_HC(5)
/* x1 = the doorbell INTID of a shared region the caller may access.
 * Raises that INTID, as a virtual edge interrupt, in vCPU 0 of every
 * other cell with access that has it enabled in its distributor, and
 * returns how many; SPH_HC_INVALID if the caller has no such doorbell.
 * (The INTIDs are in each cell's device tree and header.) */
#define SPH_HC_DOORBELL SPH_HC(6)

#define SPH_HC_NOT_SUPPORTED (-1) /* unknown function id */
#define SPH_HC_INVALID (-2)	  /* bad argument, e.g. unmapped buffer */

/* PSCI 1.0 functions the runtime emulates for a cell's own vCPUs. */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xC4000003u
#define PSCI_AFFINITY_INFO 0xC4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u /* = cell exit with status 0 */
#define PSCI_FEATURES 0x8400000Au

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_INVALID_ADDRESS (-9)

#endif
