/*
 * xmlwrite: the limit line of kontor-xrechnung.  Writes every e-invoice
 * in DIR once more with libxml2's xmlTextWriter into memory, element by
 * element, attribute by attribute, as a writer that knew the document's
 * content would.  The documents are parsed a group at a time before
 * they are written, and only the writing is timed: it prints the
 * documents and bytes written and the CPU seconds they took, user and
 * system, as "N documents, B bytes, U user, S system".
 *
 *	xmlwrite DIR
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "cputime.h"

/* Documents parsed and held at once. */
#define GROUP	256

static void
put_node(xmlTextWriterPtr w, xmlNodePtr n)
{
	xmlNsPtr ns;
	xmlAttrPtr a;
	xmlNodePtr c;

	if (n->type == XML_TEXT_NODE) {
		xmlTextWriterWriteString(w, n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	xmlTextWriterStartElementNS(w, n->ns != NULL ? n->ns->prefix : NULL,
	    n->name, NULL);
	for (ns = n->nsDef; ns != NULL; ns = ns->next)
		xmlTextWriterWriteAttributeNS(w, BAD_CAST "xmlns", ns->prefix,
		    NULL, ns->href);
	for (a = n->properties; a != NULL; a = a->next)
		xmlTextWriterWriteAttribute(w, a->name,
		    a->children != NULL ? a->children->content : BAD_CAST "");
	for (c = n->children; c != NULL; c = c->next)
		put_node(w, c);
	xmlTextWriterEndElement(w);
}

static size_t
write_doc(xmlBufferPtr b, xmlDocPtr doc)
{
	xmlTextWriterPtr w;

	xmlBufferEmpty(b);
	w = xmlNewTextWriterMemory(b, 0);
	if (w == NULL)
		return 0;
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	put_node(w, xmlDocGetRootElement(doc));
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	return (size_t)xmlBufferLength(b);
}

static int
is_xml(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

int
main(int argc, char **argv)
{
	long long u0, s0, u1, s1, user = 0, sys = 0;
	xmlDocPtr docs[GROUP];
	size_t bytes = 0, done = 0, held, i;
	char path[4096];
	struct dirent *e;
	xmlBufferPtr b;
	DIR *d;

	if (argc != 2) {
		fputs("usage: xmlwrite dir\n", stderr);
		return 2;
	}
	if ((d = opendir(argv[1])) == NULL) {
		perror(argv[1]);
		return 1;
	}
	b = xmlBufferCreate();
	for (e = readdir(d); e != NULL; ) {
		for (held = 0; held < GROUP && e != NULL; e = readdir(d)) {
			if (!is_xml(e->d_name))
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[1],
			    e->d_name);
			docs[held] = xmlReadFile(path, NULL, XML_PARSE_NONET |
			    XML_PARSE_NOBLANKS);
			if (docs[held] == NULL) {
				fprintf(stderr, "xmlwrite: %s: not XML\n",
				    path);
				return 1;
			}
			held++;
		}
		cpu_now(&u0, &s0);
		for (i = 0; i < held; i++)
			bytes += write_doc(b, docs[i]);
		cpu_now(&u1, &s1);
		user += u1 - u0;
		sys += s1 - s0;
		for (i = 0; i < held; i++)
			xmlFreeDoc(docs[i]);
		done += held;
	}
	closedir(d);
	xmlBufferFree(b);
	printf("%zu documents, %zu bytes, %lld.%06lld user, "
	    "%lld.%06lld system\n", done, bytes, user / 1000000,
	    user % 1000000, sys / 1000000, sys % 1000000);
	return done > 0 ? 0 : 1;
}
