// SPDX-License-Identifier: MIT
/*
 * shm-talk: Linux user space's side of the message box in a shared region
 * (tests/cells/msg.h). It finds the region in the device tree
 * (/reserved-memory/NAME@ADDRESS, which sphc writes for every shared
 * region a cell can reach), maps it through /dev/mem, sends a line to the
 * rtos cell and prints the answer.
 *
 * usage: shm-talk NAME [TEXT]     exit 0 when the answer came
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"

#define RESERVED "/sys/firmware/devicetree/base/reserved-memory"
#define WAIT_S 60

static int region(const char *name, uint64_t *base, uint64_t *size)
{
	char path[512];
	unsigned char reg[16];
	struct dirent *e;
	DIR *d = opendir(RESERVED);
	size_t len = strlen(name);
	int fd, i, found = -1;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, name, len) && e->d_name[len] == '@') {
			snprintf(path, sizeof(path), RESERVED "/%s/reg",
				 e->d_name);
			found = 0;
			break;
		}
	closedir(d);
	if (found || (fd = open(path, O_RDONLY)) < 0)
		return -1;
	found = read(fd, reg, sizeof(reg)) == sizeof(reg) ? 0 : -1;
	close(fd);
	*base = *size = 0;
	for (i = 0; i < 8; i++) {
		*base = *base << 8 | reg[i];
		*size = *size << 8 | reg[8 + i];
	}
	return found;
}

static void put_text(volatile struct msg_slot *s, const char *text)
{
	uint32_t len = strlen(text) < MSG_TEXT ? strlen(text) : MSG_TEXT;
	uint32_t i, w = 0;

	for (i = 0; i < len; i++) {
		w |= (uint32_t)(uint8_t)text[i] << (i & 3) * 8;
		if ((i & 3) == 3 || i == len - 1) {
			s->text[i / 4] = w;
			w = 0;
		}
	}
	s->len = len;
	__sync_synchronize();
	s->seq = 1;
}

static void get_text(const volatile struct msg_slot *s, char *out)
{
	uint32_t len = s->len < MSG_TEXT ? s->len : MSG_TEXT, i, w = 0;

	for (i = 0; i < len; i++) {
		if (!(i & 3))
			w = s->text[i / 4];
		out[i] = (char)(w >> (i & 3) * 8);
	}
	out[len] = 0;
}

int main(int argc, char **argv)
{
	const char *text = argc > 2 ? argv[2] : "hello rtos, linux here";
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	volatile struct msg_box *box;
	uint64_t base, size;
	char answer[MSG_TEXT + 1];
	int fd, waited;

	if (argc < 2) {
		fprintf(stderr, "usage: shm-talk NAME [TEXT]\n");
		return 2;
	}
	if (region(argv[1], &base, &size) || size < sizeof(*box)) {
		fprintf(stderr,
			"shm-talk: no shared region %s in " RESERVED "\n",
			argv[1]);
		return 1;
	}
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	box = fd < 0 ? MAP_FAILED
		     : mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			    (off_t)base);
	if (box == MAP_FAILED) {
		perror("shm-talk: /dev/mem");
		return 1;
	}
	printf("shm-talk: region %s at 0x%llx, %llu bytes\n", argv[1],
	       (unsigned long long)base, (unsigned long long)size);
	put_text(&box->to_rtos, text);
	for (waited = 0; !box->to_linux.seq; waited++) {
		if (waited == WAIT_S * 100) {
			fprintf(stderr, "shm-talk: no answer in %d s\n",
				WAIT_S);
			return 1;
		}
		nanosleep(&tick, NULL);
	}
	__sync_synchronize();
	get_text(&box->to_linux, answer);
	printf("shm-talk: answer from rtos: %s\n", answer);
	return 0;
}
