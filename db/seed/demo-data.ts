// Demo shop data: a cooperative producers' shop and its café in an old mill in Castres (Tarn).
// Every business, person, SIRET, phone number and e-mail address here is fictitious. SIRETs pass the Luhn
// check, the shop's VAT number carries the right key for its SIREN, and barcodes are the shop's own
// restricted-circulation EAN-13 ('20' prefix) with a correct GS1 check digit, so the demo goes through the
// same validation as real data. Prices are 2026 shelf prices incl. VAT; stock of 'kg' products is in grams.
//
// VAT: 5.5 % food to take away, 10 % food and soft drinks served at the café, cut flowers and plants,
// 20 % alcohol, textiles, crafts, soaps and candles. A product carries one rate, so only goods taxed the same
// in both outlets (beer, cider, wine: 20 %) are sold in both; the café's glass of apple juice is the house's.

export interface DemoShop { name: string; legalName: string; address: string; postalCode: string; city: string; siret: string; vatNumber: string; phone: string; email: string; receiptFooter: string }
export interface DemoProducer {
  slug: string;
  name: string;
  legalName: string;
  contactName: string;
  trade: string;
  town: string;
  email: string;
  phone: string;
  siret: string;
  vatStatus: 'subject' | 'franchise';
  commissionBp: number;
}
export interface DemoCategory { slug: string; name: string; color: string }
export interface DemoProduct {
  name: string;
  producer: string | null;
  category: string;
  unit: 'piece' | 'kg';
  priceCents: number;
  vatRateBp: number;
  outlets: ('shop' | 'restaurant')[];
  barcode?: string;
  plu?: string;
  stockTracked: boolean;
  lowStockThreshold?: number;
  initialStock?: number;
}
export interface DemoStaff { displayName: string; role: 'manager' | 'cashier' | 'waiter'; pin: string }

export const demoShop: DemoShop = {
  name: 'Les Halles de Castres',
  legalName: 'SCIC Les Halles de Castres',
  address: 'Ancienne filature, 14 quai des Jacobins',
  postalCode: '81100',
  city: 'Castres',
  siret: '82996800700015',
  vatNumber: 'FR72829968007',
  phone: '05 63 51 27 40',
  email: 'bonjour@example.fr',
  receiptFooter: 'Merci de votre visite ! Ici, chaque achat fait vivre un producteur du Tarn. Ouvert du mardi au samedi, 9 h – 19 h.',
};

export const demoCategories: DemoCategory[] = [
  { slug: 'fruits-legumes', name: 'Fruits et légumes', color: '#2e7d32' },
  { slug: 'fromages', name: 'Fromages et crèmerie', color: '#7a5c1e' },
  { slug: 'boucherie', name: 'Boucherie et charcuterie', color: '#a0342b' },
  { slug: 'boulangerie', name: 'Boulangerie', color: '#9c5a1a' },
  { slug: 'epicerie', name: 'Épicerie', color: '#6d4c41' },
  { slug: 'miel-confitures', name: 'Miel et confitures', color: '#a0620a' },
  { slug: 'oeufs', name: 'Œufs', color: '#827717' },
  { slug: 'boissons', name: 'Boissons', color: '#1565c0' },
  { slug: 'bieres-vins', name: 'Bières et vins', color: '#6a1b4d' },
  { slug: 'textile-artisanat', name: 'Textile et artisanat', color: '#4a4e69' },
  { slug: 'cosmetiques', name: 'Cosmétiques et savons', color: '#7b3f8c' },
  { slug: 'fleurs', name: 'Fleurs et plantes', color: '#c2185b' },
  { slug: 'plats', name: 'Plats du jour', color: '#37474f' },
  { slug: 'planches', name: 'Entrées et planches', color: '#00695c' },
  { slug: 'desserts', name: 'Desserts', color: '#ad1457' },
  { slug: 'boissons-chaudes', name: 'Boissons chaudes', color: '#4e342e' },
  { slug: 'bar', name: 'Bar', color: '#283593' },
];

export const demoProducers: DemoProducer[] = [
  { slug: 'ferme-du-sidobre', name: 'Ferme du Sidobre', legalName: 'EARL du Sidobre', contactName: 'Claire Vidal', trade: 'maraîchère', town: 'Burlats', email: 'claire.vidal@example.fr', phone: '06 12 48 73 21', siret: '85847260800018', vatStatus: 'subject', commissionBp: 2000 },
  { slug: 'jardins-de-lautrec', name: 'Les Jardins de Lautrec', legalName: 'GAEC des Jardins de Lautrec', contactName: 'Thomas Cabrol', trade: 'maraîcher (ail rose)', town: 'Lautrec', email: 'jardins.lautrec@example.fr', phone: '06 74 20 51 88', siret: '34646445600018', vatStatus: 'subject', commissionBp: 1800 },
  { slug: 'bergerie-du-montalet', name: 'Bergerie du Montalet', legalName: 'GAEC du Montalet', contactName: 'Marie Azaïs', trade: 'fromagère (lait de brebis)', town: 'Lacaune', email: 'bergerie.montalet@example.fr', phone: '06 31 85 09 42', siret: '33832218300025', vatStatus: 'subject', commissionBp: 2200 },
  { slug: 'fromagerie-du-soulzon', name: 'Fromagerie du Soulzon', legalName: 'SARL Fromagerie du Soulzon', contactName: 'Jean-Marc Bonnafous', trade: 'fromager affineur (Roquefort)', town: 'Roquefort-sur-Soulzon', email: 'fromagerie.soulzon@example.fr', phone: '06 87 14 62 05', siret: '33505092800035', vatStatus: 'subject', commissionBp: 2100 },
  { slug: 'fournil-de-roquecourbe', name: 'Le Fournil de Roquecourbe', legalName: 'Antoine Bousquet EI', contactName: 'Antoine Bousquet', trade: 'paysan boulanger', town: 'Roquecourbe', email: 'fournil.roquecourbe@example.fr', phone: '06 45 93 27 10', siret: '86075150200037', vatStatus: 'franchise', commissionBp: 1700 },
  { slug: 'rucher-de-brassac', name: 'Rucher de Brassac', legalName: 'Hélène Maurel EI', contactName: 'Hélène Maurel', trade: 'apicultrice', town: 'Brassac', email: 'helene.maurel@example.fr', phone: '06 58 36 41 79', siret: '80837582800015', vatStatus: 'franchise', commissionBp: 1500 },
  { slug: 'ruchers-de-la-montagne-noire', name: 'Les Ruchers de la Montagne Noire', legalName: 'Guillaume Fabre EI', contactName: 'Guillaume Fabre', trade: 'apiculteur', town: 'Arfons', email: 'ruchers.montagnenoire@example.fr', phone: '07 81 26 54 33', siret: '90427864500026', vatStatus: 'franchise', commissionBp: 1600 },
  { slug: 'salaisons-des-monts-de-lacaune', name: 'Salaisons des Monts de Lacaune', legalName: 'SARL Raynaud et Fils', contactName: 'Pierre Raynaud', trade: 'éleveur de porcs et charcutier', town: 'Lacaune', email: 'salaisons.lacaune@example.fr', phone: '06 23 70 15 64', siret: '85358916600034', vatStatus: 'subject', commissionBp: 2200 },
  { slug: 'elevage-de-vabre', name: 'Élevage de Vabre', legalName: 'GAEC de la Ferme de Vabre', contactName: 'Sophie Galinier', trade: 'éleveuse (bœuf et veau Aubrac)', town: 'Vabre', email: 'sophie.galinier@example.fr', phone: '06 66 02 38 97', siret: '59666881400038', vatStatus: 'subject', commissionBp: 1900 },
  { slug: 'volailles-du-sor', name: 'Les Volailles du Sor', legalName: 'EARL du Sor', contactName: 'Nicolas Barthe', trade: 'éleveur de volailles', town: 'Cambounet-sur-le-Sor', email: 'volailles.sor@example.fr', phone: '06 09 57 84 16', siret: '57257610600015', vatStatus: 'subject', commissionBp: 2000 },
  { slug: 'brasserie-de-la-montagne-noire', name: 'Brasserie de la Montagne Noire', legalName: 'SAS Brasserie de la Montagne Noire', contactName: 'Lucas Roques', trade: 'brasseur', town: 'Dourgne', email: 'brasserie.mn@example.fr', phone: '06 52 11 90 47', siret: '86302588800018', vatStatus: 'subject', commissionBp: 2200 },
  { slug: 'domaine-de-la-vere', name: 'Domaine de la Vère', legalName: 'SCEA Domaine de la Vère', contactName: 'Isabelle Fabre', trade: 'vigneronne (Gaillac AOP)', town: 'Cahuzac-sur-Vère', email: 'domaine.vere@example.fr', phone: '06 38 64 29 50', siret: '79667558500023', vatStatus: 'subject', commissionBp: 2000 },
  { slug: 'vergers-de-puylaurens', name: 'Les Vergers de Puylaurens', legalName: 'EARL des Vergers de Puylaurens', contactName: 'Damien Sicard', trade: 'arboriculteur et cidrier', town: 'Puylaurens', email: 'vergers.puylaurens@example.fr', phone: '06 95 43 18 62', siret: '46358897000012', vatStatus: 'subject', commissionBp: 1800 },
  { slug: 'confitures-d-aline', name: 'Les Confitures d’Aline', legalName: 'Aline Cassan EI', contactName: 'Aline Cassan', trade: 'confiturière', town: 'Anglès', email: 'aline.cassan@example.fr', phone: '07 69 30 72 14', siret: '99192884700029', vatStatus: 'franchise', commissionBp: 2000 },
  { slug: 'moulin-de-viviers', name: 'Le Moulin de Viviers', legalName: 'SARL Moulin de Viviers', contactName: 'Bernard Alquier', trade: 'meunier et huilier', town: 'Viviers-lès-Montagnes', email: 'moulin.viviers@example.fr', phone: '06 27 81 46 03', siret: '31097188200017', vatStatus: 'subject', commissionBp: 1800 },
  { slug: 'filature-de-l-arnette', name: 'Filature de l’Arnette', legalName: 'SCOP Filature de l’Arnette', contactName: 'Camille Durand', trade: 'lainière (laine de brebis)', town: 'Mazamet', email: 'filature.arnette@example.fr', phone: '06 71 59 23 84', siret: '87095626500025', vatStatus: 'subject', commissionBp: 2500 },
  { slug: 'savonnerie-du-sidobre', name: 'Savonnerie du Sidobre', legalName: 'Lucie Pujol EI', contactName: 'Lucie Pujol', trade: 'savonnière', town: 'Lacrouzette', email: 'lucie.pujol@example.fr', phone: '06 14 92 67 35', siret: '54616332000023', vatStatus: 'franchise', commissionBp: 2400 },
  { slug: 'poterie-de-montredon', name: 'Poterie de Montredon', legalName: 'Marc Esquirol EI', contactName: 'Marc Esquirol', trade: 'potier', town: 'Montredon-Labessonnié', email: 'marc.esquirol@example.fr', phone: '06 83 25 40 91', siret: '75934664600012', vatStatus: 'franchise', commissionBp: 2300 },
  { slug: 'fleurs-de-l-agout', name: 'Les Fleurs de l’Agout', legalName: 'EARL Fleurs de l’Agout', contactName: 'Nadia Benali', trade: 'horticultrice', town: 'Saïx', email: 'fleurs.agout@example.fr', phone: '06 40 68 13 59', siret: '37360123600038', vatStatus: 'subject', commissionBp: 2000 },
];

export const demoProducts: DemoProduct[] = [
  // Ferme du Sidobre: vegetables from the granite plateau
  { name: 'Tomates anciennes', producer: 'ferme-du-sidobre', category: 'fruits-legumes', unit: 'kg', priceCents: 490, vatRateBp: 550, outlets: ['shop'], plu: '00011', stockTracked: true, lowStockThreshold: 3000, initialStock: 15000 },
  { name: 'Courgettes', producer: 'ferme-du-sidobre', category: 'fruits-legumes', unit: 'kg', priceCents: 320, vatRateBp: 550, outlets: ['shop'], plu: '00012', stockTracked: true, initialStock: 10000 },
  { name: 'Pommes de terre du Sidobre', producer: 'ferme-du-sidobre', category: 'fruits-legumes', unit: 'kg', priceCents: 220, vatRateBp: 550, outlets: ['shop'], plu: '00013', stockTracked: true, lowStockThreshold: 8000, initialStock: 40000 },
  { name: 'Haricots verts', producer: 'ferme-du-sidobre', category: 'fruits-legumes', unit: 'kg', priceCents: 890, vatRateBp: 550, outlets: ['shop'], plu: '00014', stockTracked: true, initialStock: 4000 },
  { name: 'Salade batavia', producer: 'ferme-du-sidobre', category: 'fruits-legumes', unit: 'piece', priceCents: 150, vatRateBp: 550, outlets: ['shop'], plu: '00101', stockTracked: true, lowStockThreshold: 5, initialStock: 30 },
  { name: 'Botte de radis', producer: 'ferme-du-sidobre', category: 'fruits-legumes', unit: 'piece', priceCents: 180, vatRateBp: 550, outlets: ['shop'], stockTracked: true, initialStock: 20 },
  { name: 'Botte de carottes nouvelles', producer: 'ferme-du-sidobre', category: 'fruits-legumes', unit: 'piece', priceCents: 250, vatRateBp: 550, outlets: ['shop'], stockTracked: true, initialStock: 15 },
  { name: 'Panier de légumes de saison', producer: 'ferme-du-sidobre', category: 'fruits-legumes', unit: 'piece', priceCents: 1500, vatRateBp: 550, outlets: ['shop'], stockTracked: true, initialStock: 10 },

  // Les Jardins de Lautrec: pink garlic and winter vegetables
  { name: 'Ail rose de Lautrec IGP', producer: 'jardins-de-lautrec', category: 'fruits-legumes', unit: 'kg', priceCents: 1390, vatRateBp: 550, outlets: ['shop'], plu: '00015', stockTracked: true, lowStockThreshold: 2000, initialStock: 10000 },
  { name: 'Manouille d’ail rose de Lautrec', producer: 'jardins-de-lautrec', category: 'fruits-legumes', unit: 'piece', priceCents: 1490, vatRateBp: 550, outlets: ['shop'], plu: '00102', stockTracked: true, initialStock: 12 },
  { name: 'Oignons jaunes', producer: 'jardins-de-lautrec', category: 'fruits-legumes', unit: 'kg', priceCents: 290, vatRateBp: 550, outlets: ['shop'], plu: '00016', stockTracked: true, initialStock: 10000 },
  { name: 'Courge butternut', producer: 'jardins-de-lautrec', category: 'fruits-legumes', unit: 'kg', priceCents: 290, vatRateBp: 550, outlets: ['shop'], plu: '00017', stockTracked: true, initialStock: 12000 },
  { name: 'Échalotes 500 g', producer: 'jardins-de-lautrec', category: 'fruits-legumes', unit: 'piece', priceCents: 350, vatRateBp: 550, outlets: ['shop'], stockTracked: true, initialStock: 20 },
  { name: 'Velouté de potimarron 75 cl', producer: 'jardins-de-lautrec', category: 'epicerie', unit: 'piece', priceCents: 590, vatRateBp: 550, outlets: ['shop'], barcode: '2000020000019', stockTracked: true, initialStock: 18 },
  { name: 'Crème d’ail rose 90 g', producer: 'jardins-de-lautrec', category: 'epicerie', unit: 'piece', priceCents: 550, vatRateBp: 550, outlets: ['shop'], barcode: '2000020000026', stockTracked: true, initialStock: 24 },

  // Bergerie du Montalet: ewe's milk from the Monts de Lacaune
  { name: 'Tomme de brebis des Monts de Lacaune', producer: 'bergerie-du-montalet', category: 'fromages', unit: 'kg', priceCents: 2600, vatRateBp: 550, outlets: ['shop'], plu: '00018', stockTracked: true, lowStockThreshold: 1500, initialStock: 6000 },
  { name: 'Pérail de brebis 150 g', producer: 'bergerie-du-montalet', category: 'fromages', unit: 'piece', priceCents: 480, vatRateBp: 550, outlets: ['shop'], barcode: '2000030000016', stockTracked: true, lowStockThreshold: 6, initialStock: 24 },
  { name: 'Recuite de brebis 250 g', producer: 'bergerie-du-montalet', category: 'fromages', unit: 'piece', priceCents: 390, vatRateBp: 550, outlets: ['shop'], barcode: '2000030000023', stockTracked: true, initialStock: 12 },
  { name: 'Yaourts au lait de brebis (lot de 2)', producer: 'bergerie-du-montalet', category: 'fromages', unit: 'piece', priceCents: 260, vatRateBp: 550, outlets: ['shop'], barcode: '2000030000030', stockTracked: true, lowStockThreshold: 8, initialStock: 30 },
  { name: 'Fromage blanc de brebis 400 g', producer: 'bergerie-du-montalet', category: 'fromages', unit: 'piece', priceCents: 450, vatRateBp: 550, outlets: ['shop'], barcode: '2000030000047', stockTracked: true, initialStock: 20 },
  { name: 'Fromage frais de brebis aux herbes 150 g', producer: 'bergerie-du-montalet', category: 'fromages', unit: 'piece', priceCents: 420, vatRateBp: 550, outlets: ['shop'], barcode: '2000030000054', stockTracked: true, initialStock: 16 },

  // Fromagerie du Soulzon: Roquefort and ewe's cheese from the Aveyron side
  { name: 'Roquefort AOP (à la coupe)', producer: 'fromagerie-du-soulzon', category: 'fromages', unit: 'kg', priceCents: 3290, vatRateBp: 550, outlets: ['shop'], plu: '00019', stockTracked: true, lowStockThreshold: 800, initialStock: 3000 },
  { name: 'Roquefort AOP 150 g', producer: 'fromagerie-du-soulzon', category: 'fromages', unit: 'piece', priceCents: 520, vatRateBp: 550, outlets: ['shop'], barcode: '2000040000013', stockTracked: true, lowStockThreshold: 6, initialStock: 24 },
  { name: 'Brebis des Causses affiné', producer: 'fromagerie-du-soulzon', category: 'fromages', unit: 'kg', priceCents: 2490, vatRateBp: 550, outlets: ['shop'], plu: '00020', stockTracked: true, initialStock: 4000 },
  { name: 'Crème de Roquefort 150 g', producer: 'fromagerie-du-soulzon', category: 'fromages', unit: 'piece', priceCents: 490, vatRateBp: 550, outlets: ['shop'], barcode: '2000040000020', stockTracked: true, initialStock: 12 },

  // Le Fournil de Roquecourbe: sourdough bread from the farm's own wheat
  { name: 'Pain de campagne 1 kg', producer: 'fournil-de-roquecourbe', category: 'boulangerie', unit: 'piece', priceCents: 520, vatRateBp: 550, outlets: ['shop'], plu: '00103', stockTracked: true, lowStockThreshold: 4, initialStock: 20 },
  { name: 'Pain complet au levain 750 g', producer: 'fournil-de-roquecourbe', category: 'boulangerie', unit: 'piece', priceCents: 480, vatRateBp: 550, outlets: ['shop'], stockTracked: true, initialStock: 15 },
  { name: 'Pain aux noix 500 g', producer: 'fournil-de-roquecourbe', category: 'boulangerie', unit: 'piece', priceCents: 490, vatRateBp: 550, outlets: ['shop'], stockTracked: true, initialStock: 10 },
  { name: 'Pain de seigle 500 g', producer: 'fournil-de-roquecourbe', category: 'boulangerie', unit: 'piece', priceCents: 420, vatRateBp: 550, outlets: ['shop'], stockTracked: true, initialStock: 8 },
  { name: 'Fouace à la fleur d’oranger', producer: 'fournil-de-roquecourbe', category: 'boulangerie', unit: 'piece', priceCents: 890, vatRateBp: 550, outlets: ['shop'], stockTracked: true, initialStock: 8 },
  { name: 'Échaudés à l’anis (sachet de 6)', producer: 'fournil-de-roquecourbe', category: 'boulangerie', unit: 'piece', priceCents: 390, vatRateBp: 550, outlets: ['shop'], barcode: '2000050000010', stockTracked: true, initialStock: 15 },
  { name: 'Croquants aux amandes 200 g', producer: 'fournil-de-roquecourbe', category: 'boulangerie', unit: 'piece', priceCents: 450, vatRateBp: 550, outlets: ['shop'], barcode: '2000050000027', stockTracked: true, initialStock: 20 },

  // Rucher de Brassac
  { name: 'Miel de châtaignier 500 g', producer: 'rucher-de-brassac', category: 'miel-confitures', unit: 'piece', priceCents: 950, vatRateBp: 550, outlets: ['shop'], barcode: '2000060000017', stockTracked: true, lowStockThreshold: 5, initialStock: 30 },
  { name: 'Miel de bruyère 500 g', producer: 'rucher-de-brassac', category: 'miel-confitures', unit: 'piece', priceCents: 1150, vatRateBp: 550, outlets: ['shop'], barcode: '2000060000024', stockTracked: true, initialStock: 24 },
  { name: 'Miel toutes fleurs 1 kg', producer: 'rucher-de-brassac', category: 'miel-confitures', unit: 'piece', priceCents: 1600, vatRateBp: 550, outlets: ['shop'], barcode: '2000060000031', stockTracked: true, initialStock: 12 },
  { name: 'Miel de montagne crémeux 250 g', producer: 'rucher-de-brassac', category: 'miel-confitures', unit: 'piece', priceCents: 620, vatRateBp: 550, outlets: ['shop'], barcode: '2000060000048', stockTracked: true, initialStock: 20 },
  { name: 'Pain d’épices au miel de châtaignier', producer: 'rucher-de-brassac', category: 'miel-confitures', unit: 'piece', priceCents: 720, vatRateBp: 550, outlets: ['shop'], barcode: '2000060000055', stockTracked: true, initialStock: 10 },
  { name: 'Pollen de fleurs 250 g', producer: 'rucher-de-brassac', category: 'miel-confitures', unit: 'piece', priceCents: 1200, vatRateBp: 550, outlets: ['shop'], barcode: '2000060000062', stockTracked: true, initialStock: 8 },
  { name: 'Bougie en cire d’abeille', producer: 'rucher-de-brassac', category: 'textile-artisanat', unit: 'piece', priceCents: 850, vatRateBp: 2000, outlets: ['shop'], barcode: '2000060000079', stockTracked: true, initialStock: 15 },

  // Les Ruchers de la Montagne Noire
  { name: 'Miel d’acacia 500 g', producer: 'ruchers-de-la-montagne-noire', category: 'miel-confitures', unit: 'piece', priceCents: 1050, vatRateBp: 550, outlets: ['shop'], barcode: '2000070000014', stockTracked: true, lowStockThreshold: 5, initialStock: 24 },
  { name: 'Miel de sapin de la Montagne Noire 500 g', producer: 'ruchers-de-la-montagne-noire', category: 'miel-confitures', unit: 'piece', priceCents: 1290, vatRateBp: 550, outlets: ['shop'], barcode: '2000070000021', stockTracked: true, initialStock: 18 },
  { name: 'Miel de printemps 500 g', producer: 'ruchers-de-la-montagne-noire', category: 'miel-confitures', unit: 'piece', priceCents: 890, vatRateBp: 550, outlets: ['shop'], barcode: '2000070000038', stockTracked: true, initialStock: 24 },
  { name: 'Vinaigre de miel 25 cl', producer: 'ruchers-de-la-montagne-noire', category: 'epicerie', unit: 'piece', priceCents: 690, vatRateBp: 550, outlets: ['shop'], barcode: '2000070000045', stockTracked: true, initialStock: 10 },
  { name: 'Hydromel 75 cl', producer: 'ruchers-de-la-montagne-noire', category: 'bieres-vins', unit: 'piece', priceCents: 1450, vatRateBp: 2000, outlets: ['shop'], barcode: '2000070000052', stockTracked: true, initialStock: 12 },

  // Salaisons des Monts de Lacaune
  { name: 'Saucisse fraîche de Lacaune', producer: 'salaisons-des-monts-de-lacaune', category: 'boucherie', unit: 'kg', priceCents: 1690, vatRateBp: 550, outlets: ['shop'], plu: '00021', stockTracked: true, lowStockThreshold: 2000, initialStock: 8000 },
  { name: 'Jambon de Lacaune IGP (à la coupe)', producer: 'salaisons-des-monts-de-lacaune', category: 'boucherie', unit: 'kg', priceCents: 3490, vatRateBp: 550, outlets: ['shop'], plu: '00022', stockTracked: true, lowStockThreshold: 1000, initialStock: 5000 },
  { name: 'Bougnettes castraises', producer: 'salaisons-des-monts-de-lacaune', category: 'boucherie', unit: 'kg', priceCents: 1850, vatRateBp: 550, outlets: ['shop'], plu: '00023', stockTracked: true, initialStock: 3000 },
  { name: 'Melsat', producer: 'salaisons-des-monts-de-lacaune', category: 'boucherie', unit: 'kg', priceCents: 1490, vatRateBp: 550, outlets: ['shop'], plu: '00024', stockTracked: true, initialStock: 2500 },
  { name: 'Saucisson sec de Lacaune IGP', producer: 'salaisons-des-monts-de-lacaune', category: 'boucherie', unit: 'piece', priceCents: 790, vatRateBp: 550, outlets: ['shop'], barcode: '2000080000011', stockTracked: true, lowStockThreshold: 8, initialStock: 40 },
  { name: 'Saucisse sèche de Lacaune IGP', producer: 'salaisons-des-monts-de-lacaune', category: 'boucherie', unit: 'piece', priceCents: 890, vatRateBp: 550, outlets: ['shop'], barcode: '2000080000028', stockTracked: true, initialStock: 30 },
  { name: 'Pâté de campagne 180 g', producer: 'salaisons-des-monts-de-lacaune', category: 'boucherie', unit: 'piece', priceCents: 520, vatRateBp: 550, outlets: ['shop'], barcode: '2000080000035', stockTracked: true, initialStock: 30 },
  { name: 'Fricandeaux (les 2)', producer: 'salaisons-des-monts-de-lacaune', category: 'boucherie', unit: 'piece', priceCents: 640, vatRateBp: 550, outlets: ['shop'], barcode: '2000080000042', stockTracked: true, initialStock: 12 },

  // Élevage de Vabre: Aubrac beef and veal
  { name: 'Entrecôte de bœuf Aubrac', producer: 'elevage-de-vabre', category: 'boucherie', unit: 'kg', priceCents: 3490, vatRateBp: 550, outlets: ['shop'], plu: '00025', stockTracked: true, lowStockThreshold: 1000, initialStock: 4000 },
  { name: 'Côte de bœuf Aubrac', producer: 'elevage-de-vabre', category: 'boucherie', unit: 'kg', priceCents: 2990, vatRateBp: 550, outlets: ['shop'], plu: '00026', stockTracked: true, initialStock: 4000 },
  { name: 'Bourguignon de bœuf Aubrac', producer: 'elevage-de-vabre', category: 'boucherie', unit: 'kg', priceCents: 1790, vatRateBp: 550, outlets: ['shop'], plu: '00027', stockTracked: true, initialStock: 5000 },
  { name: 'Blanquette de veau d’Aubrac', producer: 'elevage-de-vabre', category: 'boucherie', unit: 'kg', priceCents: 1990, vatRateBp: 550, outlets: ['shop'], plu: '00028', stockTracked: true, initialStock: 3000 },
  { name: 'Steaks hachés Aubrac 2 × 125 g', producer: 'elevage-de-vabre', category: 'boucherie', unit: 'piece', priceCents: 690, vatRateBp: 550, outlets: ['shop'], barcode: '2000090000018', stockTracked: true, lowStockThreshold: 6, initialStock: 20 },
  { name: 'Colis de bœuf Aubrac 5 kg', producer: 'elevage-de-vabre', category: 'boucherie', unit: 'piece', priceCents: 8900, vatRateBp: 550, outlets: ['shop'], stockTracked: true, initialStock: 4 },

  // Les Volailles du Sor: free-range poultry and eggs
  { name: 'Poulet fermier entier', producer: 'volailles-du-sor', category: 'boucherie', unit: 'kg', priceCents: 1190, vatRateBp: 550, outlets: ['shop'], plu: '00029', stockTracked: true, lowStockThreshold: 4000, initialStock: 15000 },
  { name: 'Pintade fermière', producer: 'volailles-du-sor', category: 'boucherie', unit: 'kg', priceCents: 1390, vatRateBp: 550, outlets: ['shop'], plu: '00030', stockTracked: true, initialStock: 6000 },
  { name: 'Filets de poulet fermier', producer: 'volailles-du-sor', category: 'boucherie', unit: 'kg', priceCents: 2490, vatRateBp: 550, outlets: ['shop'], plu: '00031', stockTracked: true, initialStock: 3000 },
  { name: 'Boîte de 6 œufs plein air', producer: 'volailles-du-sor', category: 'oeufs', unit: 'piece', priceCents: 330, vatRateBp: 550, outlets: ['shop'], barcode: '2000100000014', stockTracked: true, lowStockThreshold: 12, initialStock: 60 },
  { name: 'Boîte de 12 œufs plein air', producer: 'volailles-du-sor', category: 'oeufs', unit: 'piece', priceCents: 620, vatRateBp: 550, outlets: ['shop'], barcode: '2000100000021', stockTracked: true, lowStockThreshold: 6, initialStock: 30 },
  { name: 'Plateau de 30 œufs plein air', producer: 'volailles-du-sor', category: 'oeufs', unit: 'piece', priceCents: 1350, vatRateBp: 550, outlets: ['shop'], stockTracked: true, initialStock: 8 },
  { name: 'Terrine de pintade 180 g', producer: 'volailles-du-sor', category: 'boucherie', unit: 'piece', priceCents: 650, vatRateBp: 550, outlets: ['shop'], barcode: '2000100000038', stockTracked: true, initialStock: 18 },

  // Brasserie de la Montagne Noire
  { name: 'Bière blonde de la Montagne Noire 33 cl', producer: 'brasserie-de-la-montagne-noire', category: 'bieres-vins', unit: 'piece', priceCents: 320, vatRateBp: 2000, outlets: ['shop', 'restaurant'], barcode: '2000110000011', stockTracked: true, lowStockThreshold: 24, initialStock: 96 },
  { name: 'Bière ambrée 33 cl', producer: 'brasserie-de-la-montagne-noire', category: 'bieres-vins', unit: 'piece', priceCents: 340, vatRateBp: 2000, outlets: ['shop', 'restaurant'], barcode: '2000110000028', stockTracked: true, lowStockThreshold: 12, initialStock: 72 },
  { name: 'Bière blanche 33 cl', producer: 'brasserie-de-la-montagne-noire', category: 'bieres-vins', unit: 'piece', priceCents: 330, vatRateBp: 2000, outlets: ['shop'], barcode: '2000110000035', stockTracked: true, initialStock: 48 },
  { name: 'Bière brune à la châtaigne 33 cl', producer: 'brasserie-de-la-montagne-noire', category: 'bieres-vins', unit: 'piece', priceCents: 360, vatRateBp: 2000, outlets: ['shop', 'restaurant'], barcode: '2000110000042', stockTracked: true, initialStock: 48 },
  { name: 'Bière IPA 75 cl', producer: 'brasserie-de-la-montagne-noire', category: 'bieres-vins', unit: 'piece', priceCents: 790, vatRateBp: 2000, outlets: ['shop'], barcode: '2000110000059', stockTracked: true, initialStock: 24 },
  { name: 'Coffret découverte 4 bières', producer: 'brasserie-de-la-montagne-noire', category: 'bieres-vins', unit: 'piece', priceCents: 1490, vatRateBp: 2000, outlets: ['shop'], barcode: '2000110000066', stockTracked: true, initialStock: 8 },

  // Domaine de la Vère: Gaillac AOP
  { name: 'Gaillac rouge AOP Braucol 75 cl', producer: 'domaine-de-la-vere', category: 'bieres-vins', unit: 'piece', priceCents: 1150, vatRateBp: 2000, outlets: ['shop', 'restaurant'], barcode: '2000120000018', stockTracked: true, lowStockThreshold: 6, initialStock: 36 },
  { name: 'Gaillac blanc sec AOP 75 cl', producer: 'domaine-de-la-vere', category: 'bieres-vins', unit: 'piece', priceCents: 990, vatRateBp: 2000, outlets: ['shop'], barcode: '2000120000025', stockTracked: true, initialStock: 36 },
  { name: 'Gaillac perlé AOP 75 cl', producer: 'domaine-de-la-vere', category: 'bieres-vins', unit: 'piece', priceCents: 890, vatRateBp: 2000, outlets: ['shop'], barcode: '2000120000032', stockTracked: true, initialStock: 24 },
  { name: 'Gaillac rosé AOP 75 cl', producer: 'domaine-de-la-vere', category: 'bieres-vins', unit: 'piece', priceCents: 890, vatRateBp: 2000, outlets: ['shop'], barcode: '2000120000049', stockTracked: true, initialStock: 24 },
  { name: 'Gaillac doux AOP 50 cl', producer: 'domaine-de-la-vere', category: 'bieres-vins', unit: 'piece', priceCents: 1350, vatRateBp: 2000, outlets: ['shop'], barcode: '2000120000056', stockTracked: true, initialStock: 12 },
  { name: 'Gaillac méthode ancestrale AOP 75 cl', producer: 'domaine-de-la-vere', category: 'bieres-vins', unit: 'piece', priceCents: 1390, vatRateBp: 2000, outlets: ['shop', 'restaurant'], barcode: '2000120000063', stockTracked: true, initialStock: 18 },
  { name: 'Gaillac rouge AOP en cubi 5 L', producer: 'domaine-de-la-vere', category: 'bieres-vins', unit: 'piece', priceCents: 2690, vatRateBp: 2000, outlets: ['shop'], barcode: '2000120000070', stockTracked: true, initialStock: 6 },

  // Les Vergers de Puylaurens: fruit, juice and cider
  { name: 'Pommes reine des reinettes', producer: 'vergers-de-puylaurens', category: 'fruits-legumes', unit: 'kg', priceCents: 290, vatRateBp: 550, outlets: ['shop'], plu: '00032', stockTracked: true, lowStockThreshold: 5000, initialStock: 25000 },
  { name: 'Poires williams', producer: 'vergers-de-puylaurens', category: 'fruits-legumes', unit: 'kg', priceCents: 380, vatRateBp: 550, outlets: ['shop'], plu: '00033', stockTracked: true, initialStock: 10000 },
  { name: 'Jus de pomme 1 L', producer: 'vergers-de-puylaurens', category: 'boissons', unit: 'piece', priceCents: 390, vatRateBp: 550, outlets: ['shop'], barcode: '2000130000015', stockTracked: true, lowStockThreshold: 10, initialStock: 60 },
  { name: 'Jus de pomme 25 cl', producer: 'vergers-de-puylaurens', category: 'boissons', unit: 'piece', priceCents: 190, vatRateBp: 550, outlets: ['shop'], barcode: '2000130000022', stockTracked: true, initialStock: 48 },
  { name: 'Jus de pomme-coing 1 L', producer: 'vergers-de-puylaurens', category: 'boissons', unit: 'piece', priceCents: 450, vatRateBp: 550, outlets: ['shop'], barcode: '2000130000039', stockTracked: true, initialStock: 30 },
  { name: 'Cidre fermier brut 75 cl', producer: 'vergers-de-puylaurens', category: 'bieres-vins', unit: 'piece', priceCents: 650, vatRateBp: 2000, outlets: ['shop', 'restaurant'], barcode: '2000130000046', stockTracked: true, initialStock: 24 },
  { name: 'Vinaigre de cidre 50 cl', producer: 'vergers-de-puylaurens', category: 'epicerie', unit: 'piece', priceCents: 450, vatRateBp: 550, outlets: ['shop'], barcode: '2000130000053', stockTracked: true, initialStock: 12 },

  // Les Confitures d'Aline
  { name: 'Confiture de myrtilles sauvages 350 g', producer: 'confitures-d-aline', category: 'miel-confitures', unit: 'piece', priceCents: 690, vatRateBp: 550, outlets: ['shop'], barcode: '2000140000012', stockTracked: true, lowStockThreshold: 4, initialStock: 24 },
  { name: 'Confiture de figues 350 g', producer: 'confitures-d-aline', category: 'miel-confitures', unit: 'piece', priceCents: 550, vatRateBp: 550, outlets: ['shop'], barcode: '2000140000029', stockTracked: true, initialStock: 24 },
  { name: 'Confiture d’abricots 350 g', producer: 'confitures-d-aline', category: 'miel-confitures', unit: 'piece', priceCents: 550, vatRateBp: 550, outlets: ['shop'], barcode: '2000140000036', stockTracked: true, initialStock: 24 },
  { name: 'Confiture de fraises 350 g', producer: 'confitures-d-aline', category: 'miel-confitures', unit: 'piece', priceCents: 590, vatRateBp: 550, outlets: ['shop'], barcode: '2000140000043', stockTracked: true, initialStock: 20 },
  { name: 'Crème de châtaignes 350 g', producer: 'confitures-d-aline', category: 'miel-confitures', unit: 'piece', priceCents: 590, vatRateBp: 550, outlets: ['shop'], barcode: '2000140000050', stockTracked: true, initialStock: 20 },
  { name: 'Gelée de coing 250 g', producer: 'confitures-d-aline', category: 'miel-confitures', unit: 'piece', priceCents: 490, vatRateBp: 550, outlets: ['shop'], barcode: '2000140000067', stockTracked: true, initialStock: 18 },
  { name: 'Confit d’oignons 200 g', producer: 'confitures-d-aline', category: 'epicerie', unit: 'piece', priceCents: 490, vatRateBp: 550, outlets: ['shop'], barcode: '2000140000074', stockTracked: true, initialStock: 15 },

  // Le Moulin de Viviers: flour, oil and pulses from the Lauragais side
  { name: 'Farine de blé T65 1 kg', producer: 'moulin-de-viviers', category: 'epicerie', unit: 'piece', priceCents: 290, vatRateBp: 550, outlets: ['shop'], barcode: '2000150000019', stockTracked: true, lowStockThreshold: 8, initialStock: 40 },
  { name: 'Farine de blé T80 1 kg', producer: 'moulin-de-viviers', category: 'epicerie', unit: 'piece', priceCents: 320, vatRateBp: 550, outlets: ['shop'], barcode: '2000150000026', stockTracked: true, initialStock: 30 },
  { name: 'Huile de tournesol 1 L', producer: 'moulin-de-viviers', category: 'epicerie', unit: 'piece', priceCents: 690, vatRateBp: 550, outlets: ['shop'], barcode: '2000150000033', stockTracked: true, initialStock: 18 },
  { name: 'Huile de colza 1 L', producer: 'moulin-de-viviers', category: 'epicerie', unit: 'piece', priceCents: 720, vatRateBp: 550, outlets: ['shop'], barcode: '2000150000040', stockTracked: true, initialStock: 12 },
  { name: 'Huile de noix 50 cl', producer: 'moulin-de-viviers', category: 'epicerie', unit: 'piece', priceCents: 1490, vatRateBp: 550, outlets: ['shop'], barcode: '2000150000057', stockTracked: true, initialStock: 12 },
  { name: 'Lentilles vertes 500 g', producer: 'moulin-de-viviers', category: 'epicerie', unit: 'piece', priceCents: 380, vatRateBp: 550, outlets: ['shop'], barcode: '2000150000064', stockTracked: true, initialStock: 30 },
  { name: 'Pois chiches du Lauragais 500 g', producer: 'moulin-de-viviers', category: 'epicerie', unit: 'piece', priceCents: 350, vatRateBp: 550, outlets: ['shop'], barcode: '2000150000071', stockTracked: true, initialStock: 30 },
  { name: 'Coquillettes fermières 500 g', producer: 'moulin-de-viviers', category: 'epicerie', unit: 'piece', priceCents: 420, vatRateBp: 550, outlets: ['shop'], barcode: '2000150000088', stockTracked: true, initialStock: 24 },

  // Filature de l'Arnette: ewe's wool spun in Mazamet
  { name: 'Écharpe en laine de brebis', producer: 'filature-de-l-arnette', category: 'textile-artisanat', unit: 'piece', priceCents: 4500, vatRateBp: 2000, outlets: ['shop'], barcode: '2000160000016', stockTracked: true, initialStock: 8 },
  { name: 'Bonnet en laine de brebis', producer: 'filature-de-l-arnette', category: 'textile-artisanat', unit: 'piece', priceCents: 2900, vatRateBp: 2000, outlets: ['shop'], barcode: '2000160000023', stockTracked: true, initialStock: 12 },
  { name: 'Chaussettes en laine', producer: 'filature-de-l-arnette', category: 'textile-artisanat', unit: 'piece', priceCents: 1900, vatRateBp: 2000, outlets: ['shop'], barcode: '2000160000030', stockTracked: true, lowStockThreshold: 4, initialStock: 20 },
  { name: 'Pelote de laine 100 g', producer: 'filature-de-l-arnette', category: 'textile-artisanat', unit: 'piece', priceCents: 950, vatRateBp: 2000, outlets: ['shop'], barcode: '2000160000047', stockTracked: true, initialStock: 40 },
  { name: 'Plaid en laine 130 × 170 cm', producer: 'filature-de-l-arnette', category: 'textile-artisanat', unit: 'piece', priceCents: 12900, vatRateBp: 2000, outlets: ['shop'], barcode: '2000160000054', stockTracked: true, initialStock: 3 },
  { name: 'Chaussons en laine feutrée', producer: 'filature-de-l-arnette', category: 'textile-artisanat', unit: 'piece', priceCents: 3900, vatRateBp: 2000, outlets: ['shop'], barcode: '2000160000061', stockTracked: true, initialStock: 6 },

  // Savonnerie du Sidobre: cold-process soaps
  { name: 'Savon au lait de brebis 100 g', producer: 'savonnerie-du-sidobre', category: 'cosmetiques', unit: 'piece', priceCents: 650, vatRateBp: 2000, outlets: ['shop'], barcode: '2000170000013', stockTracked: true, lowStockThreshold: 6, initialStock: 40 },
  { name: 'Savon miel et avoine 100 g', producer: 'savonnerie-du-sidobre', category: 'cosmetiques', unit: 'piece', priceCents: 650, vatRateBp: 2000, outlets: ['shop'], barcode: '2000170000020', stockTracked: true, initialStock: 30 },
  { name: 'Savon à la lavande 100 g', producer: 'savonnerie-du-sidobre', category: 'cosmetiques', unit: 'piece', priceCents: 600, vatRateBp: 2000, outlets: ['shop'], barcode: '2000170000037', stockTracked: true, initialStock: 30 },
  { name: 'Shampoing solide 80 g', producer: 'savonnerie-du-sidobre', category: 'cosmetiques', unit: 'piece', priceCents: 950, vatRateBp: 2000, outlets: ['shop'], barcode: '2000170000044', stockTracked: true, initialStock: 20 },
  { name: 'Baume à lèvres à la cire d’abeille', producer: 'savonnerie-du-sidobre', category: 'cosmetiques', unit: 'piece', priceCents: 590, vatRateBp: 2000, outlets: ['shop'], barcode: '2000170000051', stockTracked: true, initialStock: 25 },
  { name: 'Coffret trois savons', producer: 'savonnerie-du-sidobre', category: 'cosmetiques', unit: 'piece', priceCents: 1790, vatRateBp: 2000, outlets: ['shop'], barcode: '2000170000068', stockTracked: true, initialStock: 8 },

  // Poterie de Montredon: stoneware
  { name: 'Bol en grès', producer: 'poterie-de-montredon', category: 'textile-artisanat', unit: 'piece', priceCents: 2200, vatRateBp: 2000, outlets: ['shop'], stockTracked: true, initialStock: 10 },
  { name: 'Mug en grès émaillé', producer: 'poterie-de-montredon', category: 'textile-artisanat', unit: 'piece', priceCents: 1800, vatRateBp: 2000, outlets: ['shop'], stockTracked: true, initialStock: 12 },
  { name: 'Assiette plate en grès', producer: 'poterie-de-montredon', category: 'textile-artisanat', unit: 'piece', priceCents: 2600, vatRateBp: 2000, outlets: ['shop'], stockTracked: true, initialStock: 8 },
  { name: 'Pot à miel en grès', producer: 'poterie-de-montredon', category: 'textile-artisanat', unit: 'piece', priceCents: 2400, vatRateBp: 2000, outlets: ['shop'], stockTracked: true, initialStock: 6 },
  { name: 'Saladier en grès', producer: 'poterie-de-montredon', category: 'textile-artisanat', unit: 'piece', priceCents: 4800, vatRateBp: 2000, outlets: ['shop'], stockTracked: true, initialStock: 4 },

  // Les Fleurs de l'Agout: cut flowers and plants
  { name: 'Bouquet de saison', producer: 'fleurs-de-l-agout', category: 'fleurs', unit: 'piece', priceCents: 1500, vatRateBp: 1000, outlets: ['shop'], plu: '00104', stockTracked: true, initialStock: 10 },
  { name: 'Petit bouquet champêtre', producer: 'fleurs-de-l-agout', category: 'fleurs', unit: 'piece', priceCents: 900, vatRateBp: 1000, outlets: ['shop'], plu: '00105', stockTracked: true, initialStock: 12 },
  { name: 'Plant de tomate en godet', producer: 'fleurs-de-l-agout', category: 'fleurs', unit: 'piece', priceCents: 350, vatRateBp: 1000, outlets: ['shop'], stockTracked: true, initialStock: 40 },
  { name: 'Pot d’aromatiques', producer: 'fleurs-de-l-agout', category: 'fleurs', unit: 'piece', priceCents: 450, vatRateBp: 1000, outlets: ['shop'], stockTracked: true, initialStock: 30 },
  { name: 'Géranium en pot', producer: 'fleurs-de-l-agout', category: 'fleurs', unit: 'piece', priceCents: 590, vatRateBp: 1000, outlets: ['shop'], stockTracked: true, initialStock: 20 },

  // The house: the café's dishes and drinks, made to order
  { name: 'Plat du jour', producer: null, category: 'plats', unit: 'piece', priceCents: 1350, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Formule déjeuner (entrée + plat ou plat + dessert)', producer: null, category: 'plats', unit: 'piece', priceCents: 1690, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Formule complète (entrée, plat, dessert)', producer: null, category: 'plats', unit: 'piece', priceCents: 1990, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Menu enfant', producer: null, category: 'plats', unit: 'piece', priceCents: 850, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Salade au pérail chaud', producer: null, category: 'plats', unit: 'piece', priceCents: 1290, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Croque-monsieur au jambon de Lacaune', producer: null, category: 'plats', unit: 'piece', priceCents: 950, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Soupe du marché', producer: null, category: 'planches', unit: 'piece', priceCents: 650, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Assiette de charcuterie de Lacaune', producer: null, category: 'planches', unit: 'piece', priceCents: 1200, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Planche de fromages de brebis', producer: null, category: 'planches', unit: 'piece', priceCents: 1150, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Planche mixte à partager', producer: null, category: 'planches', unit: 'piece', priceCents: 1900, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Dessert du jour', producer: null, category: 'desserts', unit: 'piece', priceCents: 550, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Croustade aux pommes', producer: null, category: 'desserts', unit: 'piece', priceCents: 600, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Fromage blanc au miel', producer: null, category: 'desserts', unit: 'piece', priceCents: 480, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Café gourmand', producer: null, category: 'desserts', unit: 'piece', priceCents: 750, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Café', producer: null, category: 'boissons-chaudes', unit: 'piece', priceCents: 180, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Café crème', producer: null, category: 'boissons-chaudes', unit: 'piece', priceCents: 280, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Thé ou infusion', producer: null, category: 'boissons-chaudes', unit: 'piece', priceCents: 300, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Chocolat chaud', producer: null, category: 'boissons-chaudes', unit: 'piece', priceCents: 350, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Sirop à l’eau', producer: null, category: 'bar', unit: 'piece', priceCents: 220, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Verre de jus de pomme', producer: null, category: 'bar', unit: 'piece', priceCents: 300, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Demi de bière pression', producer: null, category: 'bar', unit: 'piece', priceCents: 350, vatRateBp: 2000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Verre de Gaillac (12 cl)', producer: null, category: 'bar', unit: 'piece', priceCents: 450, vatRateBp: 2000, outlets: ['restaurant'], stockTracked: false },
  { name: 'Pichet de Gaillac 50 cl', producer: null, category: 'bar', unit: 'piece', priceCents: 1400, vatRateBp: 2000, outlets: ['restaurant'], stockTracked: false },
];

export const demoStaff: DemoStaff[] = [
  { displayName: 'Léa', role: 'cashier', pin: '1234' },
  { displayName: 'Mathieu', role: 'cashier', pin: '2580' },
  { displayName: 'Gérant', role: 'manager', pin: '9999' },
  { displayName: 'Inès', role: 'waiter', pin: '1357' },
  { displayName: 'Baptiste', role: 'waiter', pin: '8642' },
];
