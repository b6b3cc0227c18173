// nncompress command-line entry point.
#include <cstdio>

int main()
{
    std::puts("nncompress");
    return 0;
}
