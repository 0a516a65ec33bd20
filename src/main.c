/* sitrep: entry point. Everything happens in cli_main (the command line),
 * which opens the console when no subcommand is given. */
#include <locale.h>

#include "sitrep/cli.h"

int main(int argc, char **argv)
{
	/* Wide characters (CJK plan text, titles) are measured with wcwidth,
	 * which needs the user's UTF-8 locale. */
	if (!setlocale(LC_CTYPE, ""))
		(void)setlocale(LC_CTYPE, "C.UTF-8");
	return cli_main(argc, argv);
}
