/*
 * xmlwrite: the limit line of kontor-xrechnung.  Reads one e-invoice,
 * then writes the same document COUNT times with libxml2's
 * xmlTextWriter into memory, element by element, attribute by attribute,
 * as a writer that knew the document's content would.
 *
 *	xmlwrite COUNT FILE.xml
 */
#include <stdio.h>
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

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

int
main(int argc, char **argv)
{
	xmlTextWriterPtr w;
	size_t bytes = 0;
	xmlBufferPtr b;
	xmlDocPtr doc;
	long n, i;

	if (argc != 3 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fputs("usage: xmlwrite count file.xml\n", stderr);
		return 2;
	}
	doc = xmlReadFile(argv[2], NULL, XML_PARSE_NONET |
	    XML_PARSE_NOBLANKS);
	if (doc == NULL)
		return 1;
	b = xmlBufferCreate();
	for (i = 0; i < n; i++) {
		xmlBufferEmpty(b);
		w = xmlNewTextWriterMemory(b, 0);
		xmlTextWriterSetIndent(w, 1);
		xmlTextWriterSetIndentString(w, BAD_CAST "  ");
		xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
		put_node(w, xmlDocGetRootElement(doc));
		xmlTextWriterEndDocument(w);
		xmlFreeTextWriter(w);
		bytes += (size_t)xmlBufferLength(b);
	}
	printf("%ld documents, %zu bytes\n", n, bytes);
	xmlBufferFree(b);
	xmlFreeDoc(doc);
	return 0;
}
