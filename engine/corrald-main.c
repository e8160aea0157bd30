/* corrald: the engine. */
#include <stdio.h>

int main(void)
{
	fputs("corrald: the engine is not built yet\n", stderr);
	return 1;
}
