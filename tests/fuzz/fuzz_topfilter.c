// SPDX-License-Identifier: MIT
/* libFuzzer target: the live view's filter line (typed at the 'f' prompt).
 * The first byte picks a screen width (0: batch), the rest is the filter.
 * A filter that parses is written back, must parse again to the same filter,
 * and is applied to a small model that is then rendered at that width: no
 * line may be wider than the screen. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "top.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const labels[] = { "malloc", "free", "nginx:ngx_http_process_request" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct top_row rows[3] = {
		{ .pid = 1234, .target = 0, .comm = "nginx", .calls = 10, .timed = 10, .total_ns = 100 },
		{ .pid = 1, .target = 1, .comm = "init", .calls = 5 },
		{ .pid = 99, .target = 2, .comm = "nginx", .calls = 7, .timed = 7, .total_ns = 1 << 30 },
	};
	struct top_filter f, g;
	struct top_model m;
	struct top_buf b = { 0 };
	char *s, why[128], back[256];
	int width;

	if (!size)
		return 0;
	width = data[0] % 200;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	if (top_filter_parse(s, &f, why, sizeof(why)) == 0) {
		top_filter_str(&f, back, sizeof(back));
		if (top_filter_parse(back, &g, why, sizeof(why)) || memcmp(&f, &g, sizeof(f)))
			abort();
		top_init(&m, labels, 3);
		m.filter = f;
		top_set_sort(&m, (enum top_col)(data[0] % TOP_COL_NR));
		if (top_update(&m, rows, 3, 1000) == 0) {
			top_render_table(&m, width, data[0] & 1, &b);
			for (char *p = b.p; width && p && *p; ) {
				size_t n = strcspn(p, "\n");

				if (n > (size_t)width)
					abort();
				p += n + (p[n] == '\n');
			}
		}
		top_buf_free(&b);
		top_free(&m);
	}
	free(s);
	return 0;
}
