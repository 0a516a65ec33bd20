/* cli: the command line (DESIGN.md "Command line (the contract)").
 * Parses argv, calls `app` (or scenario / tui), prints, returns an exit code
 * (enum sitrep_exit). Output goes to stdout, errors to stderr as
 * "sitrep: message". */
#ifndef SITREP_CLI_H
#define SITREP_CLI_H

int cli_main(int argc, char **argv);

#endif
