// SPDX-License-Identifier: MIT
/* armv7l only: a Thumb-2 function, which ftrace must refuse to probe. */
__attribute__((noinline, used, target("thumb"))) int ft_thumb(int a)
{
	__asm__ volatile("" ::: "memory");
	return a * 2 + 1;
}

int main(int argc, char **argv)
{
	(void)argv;
	return ft_thumb(argc) == 3 ? 0 : 1;
}
