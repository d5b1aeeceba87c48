/* Unit tests of sha256: the FIPS 180-4 example messages (the NIST
 * examples' "abc" and 448-bit message, the empty message, a million 'a's)
 * and the padding's edge lengths (55, 56, 63, 64 and 119 bytes: the length
 * fits in the last block or needs one more), whole and fed in pieces. */
#include <stdlib.h>
#include <string.h>

#include "output/sha256.h"
#include "test.h"

/* The lengths at the padding's edges, hashed by coreutils' sha256sum. */
static const struct {
    size_t n;
    const char *hex;
} edges[] = {
    {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
    {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
    {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
    {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
    {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
};
#define N_EDGES (sizeof edges / sizeof edges[0])

/* data hashed in pieces of `piece` bytes, as hex. */
static void hex_in_pieces(const char *data, size_t len, size_t piece, char out[SHA256_HEX])
{
    struct sha256 c;
    unsigned char d[SHA256_BYTES];
    sha256_init(&c);
    for (size_t i = 0; i < len; i += piece)
        sha256_update(&c, data + i, len - i < piece ? len - i : piece);
    sha256_final(&c, d);
    for (int i = 0; i < SHA256_BYTES; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

int main(void)
{
    test_plan(6 + 2 * N_EDGES);
    char hex[SHA256_HEX];

    sha256_hex("", 0, hex);
    check(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
          "the empty message (%s)", hex);
    sha256_hex("abc", 3, hex);
    check(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
          "\"abc\", one block (%s)", hex);
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(m448, strlen(m448), hex);
    check(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
          "the 448-bit message, two blocks (%s)", hex);
    hex_in_pieces(m448, strlen(m448), 1, hex);
    check(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
          "the 448-bit message fed a byte at a time (%s)", hex);

    size_t million = 1000000;
    char *a = malloc(million);
    if (!a)
        return 1;
    memset(a, 'a', million);
    sha256_hex(a, million, hex);
    check(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
          "a million 'a's (%s)", hex);
    hex_in_pieces(a, million, 1000, hex); /* pieces that straddle blocks */
    check(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
          "a million 'a's in pieces of 1000 (%s)", hex);

    for (size_t i = 0; i < N_EDGES; i++) {
        sha256_hex(a, edges[i].n, hex);
        check(!strcmp(hex, edges[i].hex), "%zu 'a's (%s)", edges[i].n, hex);
        hex_in_pieces(a, edges[i].n, 7, hex);
        check(!strcmp(hex, edges[i].hex), "%zu 'a's in pieces of 7", edges[i].n);
    }
    free(a);
    return test_done();
}
