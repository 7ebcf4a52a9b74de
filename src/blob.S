/* The prebuilt BPF object, embedded at link time. */
	.section .rodata.ftrace_blob, "a"
	.balign 8
	.globl ftrace_blob
ftrace_blob:
	.incbin BLOB_PATH
	.globl ftrace_blob_end
ftrace_blob_end:
	.section .note.GNU-stack, "", %progbits
