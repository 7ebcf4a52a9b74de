/* The prebuilt BPF object, embedded at link time. */
	.section .rodata.ftrace_blob, "a"
	.balign 8
	.globl ftrace_blob
ftrace_blob:
	.incbin BLOB_PATH
	.globl ftrace_blob_end
ftrace_blob_end:
/* the same built with -DFT_CGROUP: the --cgroup filter (kernels without
 * CONFIG_CGROUPS cannot load it, so only --cgroup uses it) */
	.balign 8
	.globl ftrace_blob_cgroup
ftrace_blob_cgroup:
	.incbin BLOB_CGROUP_PATH
	.globl ftrace_blob_cgroup_end
ftrace_blob_cgroup_end:
	.section .note.GNU-stack, "", %progbits
