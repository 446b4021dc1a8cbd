// SPDX-License-Identifier: MIT
/*
 * The qemu backend: build/run-qemu.sh boots the system on the QEMU machine
 * that models the board: `virt` for boards named qemu-aarch64-virt*, the
 * `xlnx-zcu102` model for zcu104 (the same Zynq UltraScale+ MPSoC: four
 * A53s, GIC-400, the Cadence UART at 0xFF000000, DDR from 0); nothing for
 * other boards.
 *
 * The hypervisor ELF (-kernel, $SPHC_HYPERVISOR or hypervisor.elf beside
 * the script) starts at EL2; system.bin is loaded raw at the start of the
 * boot area and each cell image at its image_pa. Paths are relative to the
 * script's directory, so a build directory can be moved; arguments to the
 * script go to QEMU. The script's exit status is read from the runtime's
 * final "sph: exit status N" line in a copy of the console: no semihosting,
 * which QEMU would also grant the cells.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "lib/util.h"
#include "sph/abi.h"

/* A QEMU machine for boards whose name starts with @board. */
struct machine {
	const char *board;
	const char *options; /* -M and -cpu; %u is the GIC version */
	uint64_t ram_base;   /* where the machine's -m RAM starts */
};

static const struct machine machines[] = {
	{ "qemu-aarch64-virt",
	  "-M virt,virtualization=on,gic-version=%u -cpu cortex-a53",
	  0x40000000 },
	/* Its DisplayPort audio wants a backend, hence -audiodev. */
	{ "zcu104", "-M xlnx-zcu102,virtualization=on -audiodev none,id=snd",
	  0 },
};

static const struct machine *machine_of(const struct m_board *b)
{
	size_t i;

	for (i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (!strncmp(b->name, machines[i].board,
			     strlen(machines[i].board)))
			return &machines[i];
	return NULL;
}

/* "1G", "2046M": RAM from the machine's base to the board's last byte. */
static char *ram_size(const struct m_board *b, const struct machine *m)
{
	uint64_t end = 0, total;
	size_t i;

	for (i = 0; i < b->nram; i++)
		if (b->ram[i].base + b->ram[i].size > end)
			end = b->ram[i].base + b->ram[i].size;
	total = end > m->ram_base ? end - m->ram_base : 0;
	if (total % (1ULL << 30) == 0)
		return xasprintf("%lluG", (unsigned long long)(total >> 30));
	total = (total + (1ULL << 20) - 1) & ~((1ULL << 20) - 1);
	return xasprintf("%lluM", (unsigned long long)(total >> 20));
}

/*
 * With no hypervisor console (hypervisor: { console: none }) the UART is a
 * cell's, so the status cannot be read from it: this Python (Debian 12's
 * python3, standard library only) runs QEMU with -S and -no-shutdown and a
 * QMP socket, lets it run, and when the guest has powered off saves the
 * runtime's log (struct sph_log) with QMP's pmemsave, prints its lines in
 * order and exits with the status the runtime recorded in it. QMP rather
 * than the human monitor: its replies and the SHUTDOWN event are JSON.
 * Arguments: the log's address and size, then QEMU's command line. Kept
 * free of single quotes: run-qemu.sh holds it in one.
 */
static const char log_reader[] =
	"import json, os, shutil, signal, socket, struct, subprocess, sys, tempfile\n"
	"addr, size, argv = int(sys.argv[1], 0), int(sys.argv[2], 0), sys.argv[3:]\n"
	"tmp = tempfile.mkdtemp(prefix=\"run-qemu.\")\n"
	"qmp, dump = os.path.join(tmp, \"qmp\"), os.path.join(tmp, \"log\")\n"
	"events = []\n"
	"def main():\n"
	"    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
	"    server.bind(qmp)\n"
	"    server.listen(1)\n"
	"    # QEMU connects at start-up and waits (-S) for cont; it stays after\n"
	"    # the guest powers off (-no-shutdown) for the log to be read.\n"
	"    qemu = subprocess.Popen(argv + [\"-S\", \"-no-shutdown\", \"-chardev\",\n"
	"        \"socket,id=sphqmp,path=\" + qmp.replace(\",\", \",,\"),\n"
	"        \"-mon\", \"chardev=sphqmp,mode=control\"])\n"
	"    def stop(sig, frame):\n"
	"        qemu.kill()\n"
	"        sys.exit(128 + sig)\n"
	"    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):\n"
	"        signal.signal(sig, stop)\n"
	"    server.settimeout(30)\n"
	"    try:\n"
	"        stream = server.accept()[0].makefile(\"rw\")\n"
	"    except OSError:\n"
	"        qemu.kill()\n"
	"        return qemu.wait() or 255\n"
	"    def call(cmd, **args):\n"
	"        stream.write(json.dumps({\"execute\": cmd, \"arguments\": args}) + \"\\n\")\n"
	"        stream.flush()\n"
	"        for line in stream:\n"
	"            msg = json.loads(line)\n"
	"            if \"event\" in msg:\n"
	"                events.append(msg[\"event\"])\n"
	"            elif \"return\" in msg or \"error\" in msg:\n"
	"                return msg\n"
	"        return {}\n"
	"    stream.readline()\n"
	"    call(\"qmp_capabilities\")\n"
	"    call(\"cont\")\n"
	"    while \"SHUTDOWN\" not in events:\n"
	"        line = stream.readline()\n"
	"        if not line:\n"
	"            break\n"
	"        events.append(json.loads(line).get(\"event\"))\n"
	"    if \"SHUTDOWN\" not in events:\n"
	"        return qemu.wait() or 255\n"
	"    saved = call(\"pmemsave\", val=addr, size=size, filename=dump)\n"
	"    call(\"quit\")\n"
	"    qemu.wait()\n"
	"    data = open(dump, \"rb\").read() if \"return\" in saved else b\"\"\n"
	"    print(\"run-qemu.sh: the hypervisor\\x27s log (no console), read from its memory:\", flush=True)\n"
	"    if len(data) != size or struct.unpack_from(\"<Q\", data)[0] != 0x31474F4C485053:\n"
	"        print(\"run-qemu.sh: no log at 0x%x in the hypervisor memory\" % addr, file=sys.stderr)\n"
	"        return 255\n"
	"    exited, status = struct.unpack_from(\"<Ii\", data, 8)\n"
	"    lines = []\n"
	"    for r, what in enumerate((\"the hypervisor\\x27s\", \"cells\\x27\")):\n"
	"        head, off, n = struct.unpack_from(\"<QQQ\", data, 24 + 24 * r)\n"
	"        if off < 128 or n == 0 or off + n > size:\n"
	"            print(\"run-qemu.sh: a ring of the log is out of bounds\", file=sys.stderr)\n"
	"            return 255\n"
	"        ring = data[off:off + n]\n"
	"        text = ring[:head]\n"
	"        if head > n:  # wrapped: the oldest lines were overwritten\n"
	"            text = ring[head % n:] + ring[:head % n]\n"
	"            text = text[text.find(b\"\\n\") + 1:]\n"
	"            print(\"run-qemu.sh: the log lost %d bytes of %s lines (its ring is full)\" % (head - len(text), what))\n"
	"        for line in text.split(b\"\\n\"):\n"
	"            if line:\n"
	"                lines.append((int(line[:8], 16), line[9:]))\n"
	"    lines.sort(key=lambda line: line[0])\n"
	"    for _, text in lines:\n"
	"        sys.stdout.buffer.write(text + b\"\\n\")\n"
	"    sys.stdout.flush()\n"
	"    if exited != 0x54495845:\n"
	"        print(\"run-qemu.sh: the hypervisor recorded no exit status\", file=sys.stderr)\n"
	"        return 255\n"
	"    return status\n"
	"try:\n"
	"    sys.exit(main())\n"
	"finally:\n"
	"    shutil.rmtree(tmp, ignore_errors=True)\n";

/* The QEMU command line, continued with backslash-newlines, up to "$@". */
static char *qemu_command(const struct plan *p, const struct machine *m,
			  const char *console)
{
	const struct m_board *b = p->board;
	char *ram = ram_size(b, m), *options, *cmd, *next;
	size_t i;

	options = xasprintf(m->options, b->gic.version);
	cmd = xasprintf(
		"\t%s \\\n"
		"\t-smp %zu -m %s -display none -monitor none -nic none \\\n"
		"\t%s -serial chardev:console \\\n"
		"\t-kernel \"${SPHC_HYPERVISOR:-$here/hypervisor.elf}\" \\\n"
		"\t-device \"loader,file=$dir/system.bin,addr=0x%llx,force-raw=on\" \\\n",
		options, b->ncpus, ram, console,
		(unsigned long long)p->blob_addr);
	for (i = 0; i < p->ncells; i++) {
		if (!p->pc[i].image)
			continue;
		next = xasprintf(
			"%s\t-device \"loader,file=$dir/cells/%s.img,addr=0x%llx,force-raw=on\" \\\n",
			cmd, p->sys->cells[i].name,
			(unsigned long long)p->cells[i].image_pa);
		free(cmd);
		cmd = next;
		if (!p->pc[i].initrd)
			continue;
		next = xasprintf(
			"%s\t-device \"loader,file=$dir/cells/%s.initrd,addr=0x%llx,force-raw=on\" \\\n",
			cmd, p->sys->cells[i].name,
			(unsigned long long)p->cells[i].initrd_pa);
		free(cmd);
		cmd = next;
	}
	free(ram);
	free(options);
	return cmd;
}

/* The script when the runtime prints to the board console. */
static char *console_script(const struct plan *p, const char *cmd)
{
	return xasprintf(
		"#!/bin/sh\n"
		"# run-qemu.sh - generated by sphc: boots system '%s' on %s.\n"
		"# usage: run-qemu.sh [QEMU OPTIONS...]\n"
		"# The hypervisor is $SPHC_HYPERVISOR, by default hypervisor.elf next to\n"
		"# this script (link it with hypervisor.ld). Files are found relative to\n"
		"# this script's directory.\n"
		"#\n"
		"# The console is on standard output. The exit status is the N of the\n"
		"# hypervisor's last line \"sph: exit status N\" (cells print only lines\n"
		"# that start with \"[cell]\"); 255 if QEMU ended without that line,\n"
		"# QEMU's own status if it failed. No semihosting: a cell could use it.\n"
		"here=$(cd \"$(dirname \"$0\")\" && pwd) || exit 2\n"
		"# QEMU option values escape ',' as ',,'.\n"
		"dir=$(printf '%%s\\n' \"$here\" | sed 's/,/,,/g')\n"
		"log=$(mktemp \"${TMPDIR:-/tmp}/run-qemu.XXXXXX\") || exit 2\n"
		"trap 'rm -f \"$log\"' EXIT\n"
		"trap 'exit 130' INT TERM HUP\n"
		"qlog=$(printf '%%s\\n' \"$log\" | sed 's/,/,,/g')\n"
		"qemu-system-aarch64 \\\n"
		"%s"
		"\t\"$@\" || exit\n"
		"status=$(tr -d '\\r' <\"$log\" |\n"
		"\tsed -n 's/^sph: exit status \\([0-9][0-9]*\\)$/\\1/p' | tail -n 1)\n"
		"if [ -z \"$status\" ]; then\n"
		"\techo \"run-qemu.sh: QEMU ended without the hypervisor's exit status line\" >&2\n"
		"\texit 255\n"
		"fi\n"
		"exit \"$status\"\n",
		p->sys->name, p->board->name, cmd);
}

/* The script when the runtime has no console: its log is read after. */
static char *log_script(const struct plan *p, const char *cmd)
{
	return xasprintf(
		"#!/bin/sh\n"
		"# run-qemu.sh - generated by sphc: boots system '%s' on %s.\n"
		"# usage: run-qemu.sh [QEMU OPTIONS...]\n"
		"# The hypervisor is $SPHC_HYPERVISOR, by default hypervisor.elf next to\n"
		"# this script (link it with hypervisor.ld). Files are found relative to\n"
		"# this script's directory.\n"
		"#\n"
		"# The hypervisor has no console (hypervisor: { console: none }): the UART\n"
		"# on standard output is the cell's that owns it. The hypervisor keeps its\n"
		"# lines and the cells' console lines in its log, %u bytes of its memory\n"
		"# at 0x%llx; when the guest has powered off, the Python below reads it\n"
		"# through QEMU's QMP (pmemsave), prints a heading and its lines, and\n"
		"# exits with the status the hypervisor recorded there; 255 without one,\n"
		"# QEMU's own status if it failed. No semihosting: a cell could use it.\n"
		"here=$(cd \"$(dirname \"$0\")\" && pwd) || exit 2\n"
		"# QEMU option values escape ',' as ',,'.\n"
		"dir=$(printf '%%s\\n' \"$here\" | sed 's/,/,,/g')\n"
		"reader='\n%s'\n"
		"exec python3 -c \"$reader\" 0x%llx %u qemu-system-aarch64 \\\n"
		"%s"
		"\t\"$@\"\n",
		p->sys->name, p->board->name, SPH_LOG_SIZE,
		(unsigned long long)(p->blob_addr - SPH_LOG_SIZE), log_reader,
		(unsigned long long)(p->blob_addr - SPH_LOG_SIZE), SPH_LOG_SIZE,
		cmd);
}

int backend_qemu(const struct plan *p, struct out *o)
{
	const struct machine *m = machine_of(p->board);
	bool log = p->sys->hyp.no_console;
	char *cmd, *script;
	int rc;

	if (!m)
		return 0;
	cmd = qemu_command(p, m,
			   log ? "-chardev stdio,id=console"
			       : "-chardev \"stdio,id=console,logfile=$qlog\"");
	script = log ? log_script(p, cmd) : console_script(p, cmd);
	rc = out_text(o, "run-qemu.sh", script, true);
	free(script);
	free(cmd);
	return rc;
}
