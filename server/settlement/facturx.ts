/**
 * Factur-X (issue 21, item 4): each invoice also as the structured data France's e-invoicing reads, the UN/CEFACT
 * Cross Industry Invoice (CII D16B) at the EN 16931 profile, embedded in the invoice's PDF (PDF/A-3,
 * `server/documents/a4.ts`) as `factur-x.xml`. Written from the frozen invoice (`InvoiceData`), the same bytes
 * every time; the tests validate it against the Factur-X 1.07.3 EN 16931 schemas.
 *
 * Codes (UNTDID 1001): 380 commercial invoice, 381 credit note, 389 self-billed invoice, 261 self-billed
 * credit note. A credit note carries positive amounts (EN 16931: its type says it credits). VAT categories
 * (UNTDID 5305): S standard rate; E exempt, with its reason: a producer under the franchise (art. 293 B) or
 * the agricultural flat rate (art. 298 quater) charges no VAT.
 */
import { ofName } from '../../shared/text.ts';
import { vatRegimeMention } from '../../shared/banking.ts';
import type { InvoiceData, InvoiceParty } from './invoices.ts';

const TYPE_CODE = { commission: '380', credit_note: '381', self_billed: '389', self_billed_credit: '261' } as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
/** Amounts in euros with two decimals and a point, as CII writes them. */
const amount = (c: number) => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
const percent = (bp: number) => String(bp / 100);
const date102 = (day: string) => `<udt:DateTimeString format="102">${day.replaceAll('-', '')}</udt:DateTimeString>`;

/** "12 rue X 81100 Castres" → its postal code and city when it ends with them (a producer's one-line address). */
function splitAddress(p: InvoiceParty): { line: string; postcode: string; city: string } {
  if (p.postalCode && p.city) return { line: p.address, postcode: p.postalCode, city: p.city };
  const m = /^(.*?)[,\s]*\b(\d{5})\s+(.+)$/.exec(p.address.trim());
  if (m) return { line: m[1]!.trim(), postcode: m[2]!, city: m[3]!.trim() };
  return { line: p.address.trim(), postcode: '', city: '' };
}

function party(tag: 'SellerTradeParty' | 'BuyerTradeParty', p: InvoiceParty): string {
  const a = splitAddress(p);
  const siren = p.siret.replace(/\D/g, '').slice(0, 9);
  return [
    `<ram:${tag}>`,
    `<ram:Name>${esc(p.legalName || p.name)}</ram:Name>`,
    // SIREN, the French register (ISO 6523 ICD 0002).
    siren
      ? `<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">${siren}</ram:ID>${p.legalName && p.name !== p.legalName ? `<ram:TradingBusinessName>${esc(p.name)}</ram:TradingBusinessName>` : ''}</ram:SpecifiedLegalOrganization>`
      : '',
    '<ram:PostalTradeAddress>',
    a.postcode ? `<ram:PostcodeCode>${a.postcode}</ram:PostcodeCode>` : '',
    a.line ? `<ram:LineOne>${esc(a.line)}</ram:LineOne>` : '',
    a.city ? `<ram:CityName>${esc(a.city)}</ram:CityName>` : '',
    '<ram:CountryID>FR</ram:CountryID>',
    '</ram:PostalTradeAddress>',
    p.vatNumber ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${esc(p.vatNumber)}</ram:ID></ram:SpecifiedTaxRegistration>` : '',
    `</ram:${tag}>`,
  ].join('');
}

export function facturXml(d: InvoiceData): string {
  const selfBilled = d.kind === 'self_billed' || d.kind === 'self_billed_credit';
  const credit = d.kind === 'credit_note' || d.kind === 'self_billed_credit';
  // A credit note's amounts are positive: its type code says it credits.
  const sign = credit ? -1 : 1;
  const exempt = d.seller.vatStatus !== 'subject';
  const reason = exempt ? vatRegimeMention(d.seller.vatStatus) : '';
  const category = exempt ? 'E' : 'S';
  const lineVat = (l: InvoiceData['lines'][number]) => (selfBilled ? (l.vatRateBp ?? 0) : d.vatRateBp);
  const taxes = selfBilled ? (d.vat ?? []) : [{ rateBp: d.vatRateBp, netCents: d.netCents, vatCents: d.vatCents }];
  const notes: [string, string][] = [
    ['REG', `Relevé de dépôt-vente ${d.statement.code} du ${d.statement.from} au ${d.statement.to}`],
    ...(selfBilled
      ? ([
          [
            'REG',
            `Autofacturation : facture établie par ${d.buyer.legalName} au nom et pour le compte ${ofName(d.seller.legalName)} (mandat du ${d.selfBilling!.mandateSignedOn})`,
          ],
        ] as [string, string][])
      : []),
    ...(exempt ? ([['REG', reason]] as [string, string][]) : []),
    ...(d.selfBilling?.compensation
      ? ([
          [
            'REG',
            `Remboursement forfaitaire agricole (art. 298 quater CGI) : ${percent(d.selfBilling.compensation.rateBp)} % de ${amount(d.selfBilling.compensation.baseCents)} EUR, soit ${amount(d.selfBilling.compensation.amountCents)} EUR, à demander par le producteur ; non déductible par l’acquéreur`,
          ],
        ] as [string, string][])
      : []),
    ['PMD', 'Pénalités de retard : taux de refinancement de la BCE majoré de 10 points (art. L441-10 C. com.)'],
    ['PMT', 'Indemnité forfaitaire pour frais de recouvrement : 40 EUR (art. D441-5 C. com.)'],
    ['AAB', 'Pas d’escompte pour paiement anticipé'],
  ];
  const lines = d.lines.map((l, i) =>
    [
      '<ram:IncludedSupplyChainTradeLineItem>',
      `<ram:AssociatedDocumentLineDocument><ram:LineID>${i + 1}</ram:LineID></ram:AssociatedDocumentLineDocument>`,
      `<ram:SpecifiedTradeProduct><ram:Name>${esc(l.label)}</ram:Name></ram:SpecifiedTradeProduct>`,
      `<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>${amount(sign * l.netCents)}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>`,
      '<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">1</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>',
      '<ram:SpecifiedLineTradeSettlement>',
      `<ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>${category}</ram:CategoryCode><ram:RateApplicablePercent>${percent(exempt ? 0 : lineVat(l))}</ram:RateApplicablePercent></ram:ApplicableTradeTax>`,
      `<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${amount(sign * l.netCents)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>`,
      '</ram:SpecifiedLineTradeSettlement>',
      '</ram:IncludedSupplyChainTradeLineItem>',
    ].join(''),
  );
  const taxBlocks = taxes.map((t) =>
    [
      '<ram:ApplicableTradeTax>',
      `<ram:CalculatedAmount>${amount(sign * t.vatCents)}</ram:CalculatedAmount>`,
      '<ram:TypeCode>VAT</ram:TypeCode>',
      exempt ? `<ram:ExemptionReason>${esc(reason)}</ram:ExemptionReason>` : '',
      `<ram:BasisAmount>${amount(sign * t.netCents)}</ram:BasisAmount>`,
      `<ram:CategoryCode>${category}</ram:CategoryCode>`,
      `<ram:RateApplicablePercent>${percent(exempt ? 0 : t.rateBp)}</ram:RateApplicablePercent>`,
      '</ram:ApplicableTradeTax>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">',
    '<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>',
    '<rsm:ExchangedDocument>',
    `<ram:ID>${esc(d.code)}</ram:ID>`,
    `<ram:TypeCode>${TYPE_CODE[d.kind]}</ram:TypeCode>`,
    `<ram:IssueDateTime>${date102(d.issuedOn)}</ram:IssueDateTime>`,
    ...notes.map(
      ([code, text]) =>
        `<ram:IncludedNote><ram:Content>${esc(text)}</ram:Content><ram:SubjectCode>${code}</ram:SubjectCode></ram:IncludedNote>`,
    ),
    '</rsm:ExchangedDocument>',
    '<rsm:SupplyChainTradeTransaction>',
    ...lines,
    '<ram:ApplicableHeaderTradeAgreement>',
    `<ram:BuyerReference>${esc(d.statement.code)}</ram:BuyerReference>`,
    party('SellerTradeParty', d.seller),
    party('BuyerTradeParty', d.buyer),
    '</ram:ApplicableHeaderTradeAgreement>',
    `<ram:ApplicableHeaderTradeDelivery><ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime>${date102(d.statement.to)}</ram:OccurrenceDateTime></ram:ActualDeliverySupplyChainEvent></ram:ApplicableHeaderTradeDelivery>`,
    '<ram:ApplicableHeaderTradeSettlement>',
    '<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>',
    ...taxBlocks,
    `<ram:BillingSpecifiedPeriod><ram:StartDateTime>${date102(d.statement.from)}</ram:StartDateTime><ram:EndDateTime>${date102(d.statement.to)}</ram:EndDateTime></ram:BillingSpecifiedPeriod>`,
    `<ram:SpecifiedTradePaymentTerms><ram:Description>${esc(selfBilled ? 'Payée avec le relevé de dépôt-vente' : 'Réglée par compensation sur les ventes encaissées pour le compte du déposant')}</ram:Description><ram:DueDateDateTime>${date102(d.dueOn)}</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>`,
    '<ram:SpecifiedTradeSettlementHeaderMonetarySummation>',
    `<ram:LineTotalAmount>${amount(sign * d.netCents)}</ram:LineTotalAmount>`,
    `<ram:TaxBasisTotalAmount>${amount(sign * d.netCents)}</ram:TaxBasisTotalAmount>`,
    `<ram:TaxTotalAmount currencyID="EUR">${amount(sign * d.vatCents)}</ram:TaxTotalAmount>`,
    `<ram:GrandTotalAmount>${amount(sign * d.grossCents)}</ram:GrandTotalAmount>`,
    `<ram:DuePayableAmount>${amount(sign * d.grossCents)}</ram:DuePayableAmount>`,
    '</ram:SpecifiedTradeSettlementHeaderMonetarySummation>',
    '</ram:ApplicableHeaderTradeSettlement>',
    '</rsm:SupplyChainTradeTransaction>',
    '</rsm:CrossIndustryInvoice>',
    '',
  ].join('\n');
}

/**
 * The XMP the Factur-X standard asks of the PDF/A-3 (§ 6.2.2): the extension schema that declares its `fx`
 * properties, then the properties naming the embedded file and its profile.
 */
export const FACTURX_XMP = `
<rdf:Description xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#" rdf:about="">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>fx</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentFileName</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The name of the embedded XML document</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentType</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The type of the hybrid document in capital letters, e.g. INVOICE or ORDER</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>Version</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The actual version of the standard applying to the embedded XML document</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>ConformanceLevel</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The conformance level of the embedded XML document</pdfaProperty:description></rdf:li>
</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" rdf:about="">
<fx:DocumentType>INVOICE</fx:DocumentType>
<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>
<fx:Version>1.0</fx:Version>
<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
</rdf:Description>
`;
