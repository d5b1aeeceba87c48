/* exitcode: the exit statuses of pilotsim, one enum for every room.
 * DESIGN.md fixes them: 0 success; 1 a runtime failure after the input
 * was accepted (I/O, gnuplot); 2 a usage error or bad input (a missing,
 * unreadable or invalid scenario); 3 a load test's SLO failed. A command
 * ended by SIGTERM, SIGINT or SIGHUP dies by that signal (output/proc.h),
 * which the shell reports as 128 + its number.
 * Names only, no code: main.c returns these, and so does every module
 * that ends a command or a child process (so any room may include it).
 * An enum, not int macros, so a debugger shows the name. */
#ifndef PILOTSIM_EXITCODE_H
#define PILOTSIM_EXITCODE_H

enum exitcode {
    EXITCODE_OK = 0,      /* success */
    EXITCODE_RUNTIME = 1, /* a failure after the input was accepted (I/O, gnuplot) */
    EXITCODE_USAGE = 2,   /* usage error or bad input */
    EXITCODE_SLO = 3,     /* a load test's SLO failed */
    EXITCODE_SIGNAL = 128 /* + N: ended by signal N (output/proc.h) */
};

#endif
