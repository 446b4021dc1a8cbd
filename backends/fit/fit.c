// SPDX-License-Identifier: MIT
/* U-Boot boot images: boot.itb (FIT, via libfdt) and boot.cmd (see fit.h). */
#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/dtb/dtree.h"
#include "backends/fit/fit.h"
#include "sph/blob.h"
#include "backends/tgt.h"
#include "lib/util.h"

#ifndef SPHC_VERSION
#define SPHC_VERSION "0.0.0-dev"
#endif

static const struct loc no_loc;

bool fit_wanted(const struct m_board *b)
{
	return strncmp(b->name, "qemu", 4) != 0;
}

struct fit_image {
	char *name; /* node name */
	char *description;
	const char *type;
	const char *os; /* NULL: none */
	void *data;	/* owned */
	size_t len;
	uint64_t load;	/* 0: none (the boot loader places it) */
	uint64_t entry; /* 0: none */
};

/*
 * The root compatible of each U-Boot board's own device tree: U-Boot
 * (CONFIG_FIT_BEST_MATCH) boots the FIT configuration whose device tree
 * matches it, so a plain `bootm ADDR` finds ours.
 */
static const struct {
	const char *board;
	const char *compatible[3];
} board_compatible[] = {
	{ "qemu-aarch64-virt", { "linux,dummy-virt" } },
	{ "zcu104",
	  { "xlnx,zynqmp-zcu104-revC", "xlnx,zynqmp-zcu104", "xlnx,zynqmp" } },
	{ "imx8qm", { "fsl,imx8qm-mek", "fsl,imx8qm" } },
	{ "rpi4", { "raspberrypi,4-model-b", "brcm,bcm2711" } },
};

struct fit_ctx {
	const struct m_system *s;
	const struct m_board *b;
	const char *outdir;
	struct diag_list *dl;
	const struct sph_header *h;
	struct fit_image *img;
	size_t nimg, cap;
	bool placeholder; /* no hypervisor binary */
	int errors;
	uint64_t blob_addr; /* the start of the boot area (check/layout.h) */
};

static struct fit_image *add_image(struct fit_ctx *x, const char *type,
				   void *data, size_t len, uint64_t load)
{
	struct fit_image *im;

	VEC_RESERVE(x->img, x->nimg, x->cap);
	im = &x->img[x->nimg++];
	memset(im, 0, sizeof(*im));
	im->type = type;
	im->data = data;
	im->len = len;
	im->load = load;
	return im;
}

static bool bit_set(const uint64_t *words, uint32_t c)
{
	return c < 64 * SPH_COLOR_WORDS && (words[c / 64] >> (c % 64)) & 1;
}

/*
 * The physical address behind guest address @ipa of cell @cell, from the
 * blob's regions (colored ones fill the IPA range with the pages of the
 * cell's colors, in address order). 0 when no memory region holds it.
 */
static uint64_t ipa_to_pa(const struct sph_header *h, const struct sph_cell *c,
			  uint64_t ipa)
{
	const struct sph_platform *pl = sph_platform(h);
	const struct sph_region *r = sph_regions(h) + c->first_region;
	uint64_t page = pl->page_size ? pl->page_size : 4096, want, p;
	uint32_t i;

	for (i = 0; i < c->num_regions; i++, r++) {
		if (r->flags & (SPH_REGION_IO | SPH_REGION_SHARED))
			continue;
		if (ipa < r->ipa || ipa - r->ipa >= r->size)
			continue;
		if (!(r->flags & SPH_REGION_COLORED) || !pl->num_colors)
			return r->pa + (ipa - r->ipa);
		want = (ipa - r->ipa) / page;
		for (p = r->pa - r->pa % page; p < r->pa + r->span; p += page) {
			if (!bit_set(c->colors,
				     (uint32_t)((p / page) % pl->num_colors)))
				continue;
			if (!want--)
				return p + (ipa - r->ipa) % page;
		}
	}
	return 0;
}

static int read_or_report(struct fit_ctx *x, const char *path, void **buf,
			  size_t *len, const char *what)
{
	if (!tgt_read(path, buf, len))
		return 0;
	diag_report(x->dl, RULE_IO_ERROR, no_loc, "cannot read %s '%s': %s",
		    what, path, strerror(errno));
	x->errors++;
	return -1;
}

static const struct sph_header *load_blob(struct fit_ctx *x, void **buf)
{
	struct sph_blob_error err;
	char *path = xasprintf("%s/system.bin", x->outdir);
	size_t len;

	if (read_or_report(x, path, buf, &len,
			   "the system blob (sphc build writes it)")) {
		free(path);
		return NULL;
	}
	if (sph_blob_validate(*buf, len, &err) ||
	    ((const struct sph_header *)*buf)->kind != SPH_KIND_SYSTEM ||
	    ((const struct sph_header *)*buf)->cells.count != x->s->ncells) {
		diag_report(x->dl, RULE_IO_ERROR, no_loc,
			    "'%s' is not the system blob of this system: %s",
			    path,
			    err.code ? sph_strerror(err.code)
				     : "it does not match");
		x->errors++;
		free(*buf);
		*buf = NULL;
		free(path);
		return NULL;
	}
	free(path);
	return *buf;
}

static uint64_t rd(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/*
 * An AArch64 ELF (little-endian, 64-bit) as the flat image a boot loader
 * copies: its PT_LOAD segments from the lowest physical address to the end
 * of the highest one (memory size: .bss comes zeroed). Returns false when
 * @buf is no such ELF, or is malformed (*@bad set).
 */
static bool flatten_elf(const uint8_t *buf, size_t len, void **out,
			size_t *out_len, uint64_t *load, uint64_t *entry,
			bool *bad)
{
	uint64_t phoff, lo = UINT64_MAX, hi = 0, off, pa, filesz, memsz;
	unsigned int phentsize, phnum, i;
	uint8_t *flat;

	*bad = false;
	if (len < 64 || memcmp(buf, "\177ELF", 4))
		return false;
	*bad = true;
	if (buf[4] != 2 || buf[5] != 1 || rd(buf + 18, 2) != 183)
		return false; /* not ELFCLASS64, little-endian, EM_AARCH64 */
	phoff = rd(buf + 32, 8);
	phentsize = (unsigned int)rd(buf + 54, 2);
	phnum = (unsigned int)rd(buf + 56, 2);
	if (phentsize < 56 || phoff > len ||
	    (uint64_t)phnum * phentsize > len - phoff)
		return false;
	for (i = 0; i < phnum; i++) {
		const uint8_t *ph = buf + phoff + (size_t)i * phentsize;

		if (rd(ph, 4) != 1) /* PT_LOAD */
			continue;
		off = rd(ph + 8, 8);
		pa = rd(ph + 24, 8);
		filesz = rd(ph + 32, 8);
		memsz = rd(ph + 40, 8);
		if (off > len || filesz > len - off || filesz > memsz ||
		    pa > UINT64_MAX - memsz)
			return false;
		if (!memsz)
			continue;
		lo = pa < lo ? pa : lo;
		hi = pa + memsz > hi ? pa + memsz : hi;
	}
	if (lo >= hi || hi - lo > (256ULL << 20))
		return false;
	flat = xcalloc(1, (size_t)(hi - lo));
	for (i = 0; i < phnum; i++) {
		const uint8_t *ph = buf + phoff + (size_t)i * phentsize;

		if (rd(ph, 4) != 1 || !rd(ph + 32, 8))
			continue;
		memcpy(flat + (rd(ph + 24, 8) - lo), buf + rd(ph + 8, 8),
		       (size_t)rd(ph + 32, 8));
	}
	*out = flat;
	*out_len = (size_t)(hi - lo);
	*load = lo;
	*entry = rd(buf + 24, 8);
	*bad = false;
	return true;
}

static void collect(struct fit_ctx *x, const char *hypervisor)
{
	const struct sph_header *h = x->h;
	const struct sph_hypervisor *hy = sph_hypervisor(h);
	uint64_t load = hy->pa, entry = hy->pa;
	struct fit_image *im;
	void *data = NULL, *flat;
	size_t len = 0, i;
	char *path;
	bool bad;

	if (hypervisor &&
	    read_or_report(x, hypervisor, &data, &len, "the hypervisor binary"))
		return;
	if (hypervisor &&
	    flatten_elf(data, len, &flat, &len, &load, &entry, &bad)) {
		free(data);
		data = flat;
	} else if (hypervisor && bad) {
		diag_report(
			x->dl, RULE_IO_ERROR, no_loc,
			"'%s' is not an AArch64 ELF executable sphc can load",
			hypervisor);
		x->errors++;
		free(data);
		return;
	}
	x->placeholder = !hypervisor;
	im = add_image(x, "kernel", data, len, load);
	im->name = xstrdup("hypervisor");
	im->os = "linux"; /* the arm64 Image boot protocol: see head.S */
	im->entry = entry;
	im->description =
		hypervisor
			? xasprintf("sph runtime (%s)", hypervisor)
			: xstrdup("placeholder: no hypervisor binary given (sphc build --hypervisor FILE)");

	path = xasprintf("%s/system.bin", x->outdir);
	if (!read_or_report(x, path, &data, &len, "the system blob")) {
		im = add_image(x, "firmware", data, len, x->blob_addr);
		im->name = xstrdup("system");
		im->description = xasprintf("system blob of '%s' (system.bin)",
					    x->s->name);
	}
	free(path);

	for (i = 0; i < x->s->ncells; i++) {
		const struct m_cell *mc = &x->s->cells[i];
		const struct sph_cell *c = &sph_cells(h)[i];

		if (c->image_size && mc->image) {
			path = tgt_image_path(x->s, mc);
			if (!read_or_report(x, path, &data, &len,
					    "the image of a cell")) {
				im = add_image(x, "firmware", data, len,
					       c->image_pa);
				im->name = xasprintf("payload-%s", mc->name);
				im->description =
					xasprintf("payload of cell '%s' (%s)",
						  mc->name, mc->image);
			}
			free(path);
		}
		if (c->initrd_size && mc->initrd) {
			path = tgt_file_path(x->s, mc->initrd);
			if (!read_or_report(x, path, &data, &len,
					    "the initrd of a cell")) {
				im = add_image(x, "firmware", data, len,
					       c->initrd_pa);
				im->name = xasprintf("initrd-%s", mc->name);
				im->description =
					xasprintf("initrd of cell '%s' (%s)",
						  mc->name, mc->initrd);
			}
			free(path);
		}
		path = xasprintf("%s/cells/%s.dtb", x->outdir, mc->name);
		if (!read_or_report(x, path, &data, &len,
				    "the DTB of a cell")) {
			im = add_image(x, "flat_dt", data, len,
				       ipa_to_pa(h, c, c->dtb_ipa));
			im->name = xasprintf("dtb-%s", mc->name);
			im->description = xasprintf(
				"device tree of cell '%s' (also in system.bin)",
				mc->name);
		}
		free(path);
	}
}

/*
 * The device tree U-Boot hands the runtime in x0 (the Linux protocol wants
 * one): the board's compatible, so that U-Boot picks this configuration,
 * and its RAM. The runtime itself reads the system blob, not this.
 */
static void add_handoff_dtb(struct fit_ctx *x)
{
	struct dt_node *root = dt_node_new("/"), *n;
	const char *compat[3] = { x->b->name };
	struct fit_image *im;
	size_t i, ncompat = 1;
	void *fdt;
	size_t len;

	for (i = 0; i < sizeof(board_compatible) / sizeof(board_compatible[0]);
	     i++) {
		if (strcmp(board_compatible[i].board, x->b->name))
			continue;
		for (ncompat = 0;
		     ncompat < 3 && board_compatible[i].compatible[ncompat];
		     ncompat++)
			compat[ncompat] =
				board_compatible[i].compatible[ncompat];
	}
	dt_prop_strings(root, "compatible", compat, ncompat);
	dt_prop_string(root, "model", x->b->name);
	dt_prop_u32(root, "#address-cells", 2);
	dt_prop_u32(root, "#size-cells", 2);
	dt_add_node(root, "chosen");
	for (i = 0; i < x->b->nram; i++) {
		uint64_t reg[2] = { x->b->ram[i].base, x->b->ram[i].size };

		n = dt_add_node(root, "memory@%" PRIx64, reg[0]);
		dt_prop_string(n, "device_type", "memory");
		dt_prop_u64s(n, "reg", reg, 2);
	}
	if (dt_write_fdt(root, &fdt, &len)) {
		diag_report(
			x->dl, RULE_IO_ERROR, no_loc,
			"internal error: cannot build the hand-off device tree");
		x->errors++;
	} else {
		im = add_image(x, "flat_dt", fdt, len, 0);
		im->name = xstrdup("fdt");
		im->description = xasprintf(
			"board '%s' for the boot loader's hand-off (the runtime reads system.bin)",
			x->b->name);
	}
	dt_node_free(root);
}

/* SOURCE_DATE_EPOCH when set (reproducible builds), else 0. */
static uint32_t fit_timestamp(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");

	return e ? (uint32_t)strtoul(e, NULL, 10) : 0;
}

static void put_address(struct dt_node *n, const char *name, uint64_t v,
			bool wide)
{
	if (wide)
		dt_prop_u64s(n, name, &v, 1);
	else
		dt_prop_u32(n, name, (uint32_t)v);
}

static struct dt_node *make_tree(struct fit_ctx *x)
{
	struct dt_node *root = dt_node_new("/"), *images, *n, *hash, *confs,
		       *conf;
	const char **loadables = xcalloc(x->nimg + 1, sizeof(*loadables));
	const char *fdt = NULL;
	bool wide = false;
	size_t i, nload = 0;
	char *desc;

	for (i = 0; i < x->nimg; i++)
		wide |= x->img[i].load + x->img[i].len > 0xFFFFFFFFULL;
	desc = xasprintf("sphc %s: system '%s' on board '%s'", SPHC_VERSION,
			 x->s->name, x->b->name);
	dt_prop_string(root, "description", desc);
	free(desc);
	/* U-Boot's tools require a timestamp; 0 keeps builds reproducible. */
	dt_prop_u32(root, "timestamp", fit_timestamp());
	dt_prop_u32(root, "#address-cells", wide ? 2 : 1);
	images = dt_add_node(root, "images");
	for (i = 0; i < x->nimg; i++) {
		const struct fit_image *im = &x->img[i];

		n = dt_add_node(images, "%s", im->name);
		dt_prop_string(n, "description", im->description);
		dt_prop_bytes(n, "data", im->data, im->len);
		dt_prop_string(n, "type", im->type);
		if (im->os)
			dt_prop_string(n, "os", im->os);
		dt_prop_string(n, "arch", "arm64");
		dt_prop_string(n, "compression", "none");
		if (im->load)
			put_address(n, "load", im->load, wide);
		if (im->entry)
			put_address(n, "entry", im->entry, wide);
		hash = dt_add_node(n, "hash-1");
		dt_prop_string(hash, "algo", "crc32");
		dt_prop_u32(hash, "value", tgt_crc32(im->data, im->len));
		if (!im->load)
			fdt = im->name;
		else if (i)
			loadables[nload++] = im->name;
	}
	confs = dt_add_node(root, "configurations");
	dt_prop_string(confs, "default", "conf");
	conf = dt_add_node(confs, "conf");
	dt_prop_string(conf, "description",
		       "the hypervisor, its system blob and every cell");
	dt_prop_string(conf, "kernel", x->img[0].name);
	if (fdt)
		dt_prop_string(conf, "fdt", fdt);
	if (nload)
		dt_prop_strings(conf, "loadables", loadables, nload);
	free(loadables);
	return root;
}

static int write_script(struct fit_ctx *x, uint64_t fit_addr)
{
	char *label = tgt_system_label(x->s);
	struct tgt_text t;
	char *path;
	int errors;
	FILE *f;

	tgt_text_open(&t);
	f = t.f;
	fprintf(f,
		"# U-Boot script: system '%s' on board '%s' under the sph hypervisor.\n"
		"# Generated by sphc %s from %s; do not edit.\n"
		"#\n"
		"#   mkimage -A arm64 -T script -C none -d boot.cmd boot.scr\n"
		"#\n"
		"# Put boot.scr and boot.itb on the boot partition. U-Boot's distro boot\n"
		"# finds boot.scr and sets devtype, devnum, distro_bootpart and prefix;\n"
		"# run by hand, the defaults below are the board's usual boot medium.\n"
		"# bootm copies each image of boot.itb to its address and starts the\n"
		"# runtime with the MMU and caches off; it stops at the first failure.\n",
		x->s->name, x->b->name, SPHC_VERSION, label);
	free(label);
	fprintf(f, "if test -z \"${devtype}\"; then setenv devtype %s; fi\n",
		strncmp(x->b->name, "qemu", 4) ? "mmc" : "virtio");
	fputs("if test -z \"${devnum}\"; then setenv devnum 0; fi\n"
	      "if test -z \"${distro_bootpart}\"; then setenv distro_bootpart 1; fi\n",
	      f);
	fprintf(f, "setenv sphc_fit 0x%" PRIx64 "\n", fit_addr);
	if (x->placeholder)
		fputs("echo \"boot.itb holds no hypervisor: rebuild it with sphc build --hypervisor FILE\"\n"
		      "exit\n",
		      f);
	fputs("load ${devtype} ${devnum}:${distro_bootpart} ${sphc_fit} ${prefix}boot.itb && "
	      "bootm ${sphc_fit}#conf\n"
	      "echo \"sphc: boot.itb did not boot\"\n",
	      f);
	path = xasprintf("%s/boot.cmd", x->outdir);
	errors = tgt_text_write(&t, path, x->dl);
	free(path);
	return errors;
}

int fit_emit_hyp(const struct m_system *s, const struct m_board *b,
		 const char *outdir, const char *hypervisor,
		 struct diag_list *dl)
{
	struct fit_ctx x = { s, b, outdir, dl, NULL, NULL, 0, 0, false, 0, 0 };
	struct tgt_ranges taken = { 0 };
	struct layout l;
	struct dt_node *tree = NULL;
	void *blob_buf = NULL, *fit = NULL;
	uint64_t at = 0;
	size_t len, i;
	char *path;
	int err;

	layout_compute(&l, s, b, NULL);
	x.blob_addr = s->hyp.memory.place.pa + s->hyp.memory.size - l.boot_area;
	layout_free(&l);
	x.h = load_blob(&x, &blob_buf);
	if (x.h)
		collect(&x, hypervisor);
	if (x.h && !x.errors)
		add_handoff_dtb(&x);
	if (x.errors || !x.nimg)
		goto out;
	tree = make_tree(&x);
	err = dt_write_fdt(tree, &fit, &len);
	if (err) {
		diag_report(dl, RULE_IO_ERROR, no_loc,
			    "internal error: cannot build boot.itb: %s",
			    fdt_strerror(err));
		x.errors++;
		goto out;
	}
	tgt_ranges_add_system(&taken, s);
	for (i = 0; i < x.nimg; i++)
		if (x.img[i].load)
			tgt_ranges_add(&taken, x.img[i].load, x.img[i].len);
	if (!tgt_ranges_fit(&taken, b, len, SZ_2M, &at)) {
		diag_report(
			dl, RULE_TARGET_LIMIT, ynode_loc(s->root),
			"no free RAM on board '%s' to load boot.itb (%zu bytes) at boot",
			b->name, len);
		x.errors++;
		goto out;
	}
	path = xasprintf("%s/boot.itb", outdir);
	x.errors += tgt_write(path, fit, len, dl);
	free(path);
	if (!x.errors)
		x.errors += write_script(&x, at);
out:
	tgt_ranges_free(&taken);
	dt_node_free(tree);
	free(fit);
	for (i = 0; i < x.nimg; i++) {
		free(x.img[i].name);
		free(x.img[i].description);
		free(x.img[i].data);
	}
	free(x.img);
	free(blob_buf);
	return x.errors;
}

/* What make_tree() adds to an image beside its data and strings. */
#define FIT_IMAGE_MAX 512
/* The root, the configuration, the header and the strings block. */
#define FIT_FRAME_MAX 4096

/* A FIT image of @data bytes, described by @a and @b. */
static uint64_t fit_image_bound(uint64_t data, const char *a, const char *b)
{
	return FIT_IMAGE_MAX + data + 2 * (strlen(a) + strlen(b) + 64);
}

int fit_check(const struct m_system *s, const struct m_board *b,
	      const char *hypervisor, struct diag_list *dl)
{
	struct fit_ctx x = { .s = s, .b = b, .dl = dl };
	struct tgt_ranges taken = { 0 };
	uint64_t len = FIT_FRAME_MAX, hyp = 0, load = 0, entry, at;

	/* The FIT carries sph's runtime: check_runtime() refused it. */
	if (b->arm32)
		return 0;
	void *data = NULL, *flat;
	struct layout l;
	size_t n = 0, i;
	bool bad;

	if (hypervisor &&
	    read_or_report(&x, hypervisor, &data, &n, "the hypervisor binary"))
		return x.errors;
	if (hypervisor) {
		hyp = n;
		if (flatten_elf(data, n, &flat, &n, &load, &entry, &bad)) {
			free(flat);
			hyp = n;
		} else if (bad) {
			diag_report(
				dl, RULE_IO_ERROR, no_loc,
				"'%s' is not an AArch64 ELF executable sphc can load",
				hypervisor);
			free(data);
			return 1;
		}
		free(data);
	}
	layout_compute(&l, s, b, NULL);
	if (!l.ok) { /* check_layout() reported why */
		layout_free(&l);
		return 0;
	}
	len += fit_image_bound(hyp, hypervisor ? hypervisor : "",
			       "placeholder: no hypervisor binary given");
	len += fit_image_bound(l.blob_bound, s->name, "system blob");
	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];

		if (l.cells[i].image_size)
			len += fit_image_bound(l.cells[i].image_size, c->name,
					       c->image) +
			       strlen(c->name);
		len += fit_image_bound(l.cells[i].dtb_bound, c->name, c->name);
	}
	len += fit_image_bound(1024 + 64 * (uint64_t)b->nram, b->name, b->name);
	layout_free(&l);
	tgt_ranges_add_system(&taken, s);
	if (load)
		tgt_ranges_add(&taken, load, hyp);
	if (!tgt_ranges_fit(&taken, b, len, SZ_2M, &at)) {
		diag_report(
			dl, RULE_TARGET_LIMIT, ynode_loc(s->root),
			"no free RAM on board '%s' to load boot.itb (up to %" PRIu64
			" bytes) at boot: U-Boot needs it in RAM no cell, shared region or the hypervisor takes",
			b->name, len);
		x.errors++;
	}
	tgt_ranges_free(&taken);
	return x.errors;
}

int fit_emit(const struct m_system *s, const struct m_board *b,
	     const char *outdir, struct diag_list *dl)
{
	return fit_emit_hyp(s, b, outdir, NULL, dl);
}
