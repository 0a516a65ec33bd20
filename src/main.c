/* sitrep: entry point. The user's language and character type first (so
 * that every text is measured and shown right), then the command line,
 * which opens the console when no command is given. */
#include "sitrep/cli.h"
#include "sitrep/i18n.h"

int main(int argc, char **argv)
{
	i18n_init();
	return cli_main(argc, argv);
}
