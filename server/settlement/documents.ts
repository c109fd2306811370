/**
 * The settlement's PDF documents, handed to the PDF pool (`documents/pdf-pool.ts`) by the server: the pool
 * typesets whatever it is given on its worker threads, each of which imports this module.
 */
import { inThreadRenderer, type DocumentSet, type PdfRenderer } from '../documents/pdf-pool.ts';
import { statementPdf } from './statement-pdf.ts';

export const typesetters = { statement: statementPdf };
export type SettlementTypesetters = typeof typesetters;
export const settlementDocuments: DocumentSet<SettlementTypesetters> = { typesetters, module: new URL(import.meta.url) };

/** What renders a statement: the server's pool, or this thread (scripts, tests). */
export type StatementRenderer = PdfRenderer<SettlementTypesetters>;
export const renderInThread: StatementRenderer = inThreadRenderer(typesetters);
