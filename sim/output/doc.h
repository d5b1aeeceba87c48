/* doc: a report as a list of blocks (headings, paragraphs, bullets,
 * tables, figures, the end of the memo page, a footer), rendered two ways:
 * one self-contained HTML page (report.html) and Markdown (compare.md).
 *
 * Every string given is plain text: the renderers escape it (HTML: & < > "
 * '; Markdown: the characters that would become markup, line breaks), so
 * text from a scenario never becomes markup or code. Figures are numbered
 * "Figure k." in the order they are added; a figure names a chart of the
 * output directory (DIR/charts/NAME.svg, else .png), embedded when the page
 * is written; a chart that is not there becomes a box saying how to draw it.
 *
 * Calls build the blocks in order. A paragraph or bullet stays open for
 * doc_text/strong/code until doc_para_end or the next block; doc_text with
 * nothing open opens a plain paragraph; cells fill the open table row by
 * row. A call that runs out of memory marks the doc failed (doc_failed)
 * and the writers then refuse it, so a report is never written half-built.
 * The doc owns copies of every string; doc_free(NULL) does nothing. */
#ifndef PILOTSIM_DOC_H
#define PILOTSIM_DOC_H

#include <stddef.h>
#include <stdio.h>

struct doc;

enum doc_style {
    DOC_PLAIN,  /* a paragraph */
    DOC_ANSWER, /* the bottom line: set apart, read first */
    DOC_NOTE    /* small print: method, caveats */
};

#if defined(__GNUC__)
#define DOC_PRINTF(i, j) __attribute__((format(printf, i, j)))
#else
#define DOC_PRINTF(i, j)
#endif

struct doc *doc_new(const char *title); /* NULL if no memory */
void doc_free(struct doc *d);
/* Replace the title: for a builder given a doc made by its caller
 * (KIND_report_build), which learns the title from the files it reads. */
void doc_title(struct doc *d, const char *fmt, ...) DOC_PRINTF(2, 3);

/* A section heading, level 1-3 (the title is above level 1). */
void doc_heading(struct doc *d, int level, const char *fmt, ...) DOC_PRINTF(3, 4);
void doc_para_begin(struct doc *d, enum doc_style style);
void doc_item_begin(struct doc *d); /* one bullet; consecutive bullets make a list */
void doc_text(struct doc *d, const char *fmt, ...) DOC_PRINTF(2, 3);   /* plain */
void doc_strong(struct doc *d, const char *fmt, ...) DOC_PRINTF(2, 3); /* bold */
void doc_code(struct doc *d, const char *fmt, ...) DOC_PRINTF(2, 3);   /* a file, a key */
void doc_para_end(struct doc *d); /* ends a paragraph or a bullet */

/* A table of n_cols columns; align has one letter a column: 'l' left, 'r'
 * right (numbers), 'c' centred. Cells follow row by row; a row left short
 * at doc_table_end is padded with empty cells. */
void doc_table_begin(struct doc *d, size_t n_cols, const char *const *headers, const char *align);
void doc_cell(struct doc *d, const char *fmt, ...) DOC_PRINTF(2, 3);
void doc_cell_strong(struct doc *d, const char *fmt, ...) DOC_PRINTF(2, 3);
void doc_table_end(struct doc *d);

/* A figure: chart "adoption" is DIR/charts/adoption.svg (or .png); the
 * caption gets "Figure k." in front. A name of other than letters, digits,
 * '-', '_' and '.' (not first) never reaches the file system: it is drawn
 * as missing. */
void doc_figure(struct doc *d, const char *chart, const char *fmt, ...) DOC_PRINTF(3, 4);
/* The memo page ends here: what follows is the appendix (HTML: a new
 * printed page). At most once; a second call is ignored. */
void doc_page_end(struct doc *d);
/* A line of the footer at the end of the page (provenance). */
void doc_footer(struct doc *d, const char *fmt, ...) DOC_PRINTF(2, 3);

int doc_failed(const struct doc *d);  /* a call ran out of memory */
int doc_figures(const struct doc *d); /* figures added so far */

/* DIR/report.html through report_atomic: 0, or -1 with a one-line message
 * on err and no file written (a failed doc, a chart that cannot be read). */
int doc_write_html(const struct doc *d, const char *dir, FILE *err);
/* DIR/NAME (compare.md) in Markdown, figures linking charts/NAME.png. */
int doc_write_markdown(const struct doc *d, const char *dir, const char *name, FILE *err);

#endif
