// Demo shop data: a producers' shop and café in Castres (Tarn). Fictitious businesses, people and numbers;
// SIRETs pass the Luhn check and barcodes the GS1 check digit so they go through the same validation as real data.
// Generated once by hand-written script; edit freely.

export interface DemoShop { name: string; legalName: string; address: string; postalCode: string; city: string; siret: string; vatNumber: string; phone: string; email: string; receiptFooter: string }
export interface DemoProducer { slug: string; name: string; legalName: string; contactName: string; trade: string; town: string; email: string; phone: string; siret: string; vatStatus: 'subject' | 'franchise'; commissionBp: number }
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
  "name": "Les Halles de Castres",
  "legalName": "SCIC Les Halles de Castres",
  "address": "Ancienne filature, 14 quai des Jacobins",
  "postalCode": "81100",
  "city": "Castres",
  "siret": "80000009900005",
  "vatNumber": "FR22800000099",
  "phone": "05 63 00 00 00",
  "email": "contact@example.fr",
  "receiptFooter": "Merci ! Ici, chaque achat fait vivre un producteur du Tarn."
};

export const demoCategories: DemoCategory[] = [
  {
    "slug": "fruits-legumes",
    "name": "Fruits et légumes",
    "color": "#2e7d32"
  },
  {
    "slug": "fromages",
    "name": "Fromages et crèmerie",
    "color": "#8d6e2f"
  },
  {
    "slug": "boucherie",
    "name": "Boucherie et charcuterie",
    "color": "#a0342b"
  },
  {
    "slug": "boulangerie",
    "name": "Boulangerie",
    "color": "#9c5a1a"
  },
  {
    "slug": "epicerie",
    "name": "Épicerie",
    "color": "#6d4c41"
  },
  {
    "slug": "miel-confitures",
    "name": "Miel et confitures",
    "color": "#c27c0e"
  },
  {
    "slug": "oeufs",
    "name": "Œufs et volailles",
    "color": "#b5651d"
  },
  {
    "slug": "boissons",
    "name": "Boissons",
    "color": "#1565c0"
  },
  {
    "slug": "bieres-vins",
    "name": "Bières et vins",
    "color": "#6a1b4d"
  },
  {
    "slug": "textile-artisanat",
    "name": "Textile et artisanat",
    "color": "#4a4e69"
  },
  {
    "slug": "cosmetiques",
    "name": "Cosmétiques et savons",
    "color": "#7b3f8c"
  },
  {
    "slug": "fleurs",
    "name": "Fleurs et plantes",
    "color": "#c2185b"
  },
  {
    "slug": "plats",
    "name": "Plats du jour",
    "color": "#37474f"
  },
  {
    "slug": "desserts",
    "name": "Desserts",
    "color": "#ad1457"
  },
  {
    "slug": "boissons-chaudes",
    "name": "Boissons chaudes",
    "color": "#5d4037"
  },
  {
    "slug": "bar",
    "name": "Bar",
    "color": "#283593"
  }
];

export const demoProducers: DemoProducer[] = [
  {
    "slug": "ferme-du-sidobre",
    "name": "Ferme du Sidobre",
    "legalName": "EARL du Sidobre",
    "contactName": "Claire Vidal",
    "trade": "maraîchère",
    "town": "Burlats",
    "email": "claire@example.fr",
    "phone": "06 10 20 30 40",
    "siret": "80000100000002",
    "vatStatus": "subject",
    "commissionBp": 2000
  },
  {
    "slug": "jardins-d-angles",
    "name": "Les Jardins d’Anglès",
    "legalName": "GAEC des Jardins d’Anglès",
    "contactName": "Thomas Cabrol",
    "trade": "maraîcher",
    "town": "Anglès",
    "email": "thomas@example.fr",
    "phone": "06 11 21 31 41",
    "siret": "80000103700004",
    "vatStatus": "franchise",
    "commissionBp": 1800
  },
  {
    "slug": "bergerie-de-lacaune",
    "name": "Bergerie de Lacaune",
    "legalName": "GAEC de la Bergerie",
    "contactName": "Marie Azaïs",
    "trade": "fromagère (brebis)",
    "town": "Lacaune",
    "email": "marie@example.fr",
    "phone": "06 12 22 32 42",
    "siret": "80000107400007",
    "vatStatus": "subject",
    "commissionBp": 2200
  },
  {
    "slug": "chevrerie-du-thore",
    "name": "Chèvrerie du Thoré",
    "legalName": "EARL du Thoré",
    "contactName": "Julien Séguier",
    "trade": "fromager (chèvre)",
    "town": "Labruguière",
    "email": "julien@example.fr",
    "phone": "06 13 23 33 43",
    "siret": "80000111100007",
    "vatStatus": "franchise",
    "commissionBp": 2000
  },
  {
    "slug": "fournil-de-roquecourbe",
    "name": "Le Fournil de Roquecourbe",
    "legalName": "EURL Le Fournil",
    "contactName": "Antoine Bousquet",
    "trade": "paysan boulanger",
    "town": "Roquecourbe",
    "email": "antoine@example.fr",
    "phone": "06 14 24 34 44",
    "siret": "80000114800009",
    "vatStatus": "subject",
    "commissionBp": 1800
  },
  {
    "slug": "rucher-de-brassac",
    "name": "Rucher de Brassac",
    "legalName": "Rucher de Brassac",
    "contactName": "Hélène Maurel",
    "trade": "apicultrice",
    "town": "Brassac",
    "email": "helene@example.fr",
    "phone": "06 15 25 35 45",
    "siret": "80000118500001",
    "vatStatus": "franchise",
    "commissionBp": 1500
  },
  {
    "slug": "salaisons-de-lacaune",
    "name": "Salaisons des Monts de Lacaune",
    "legalName": "SARL Salaisons des Monts",
    "contactName": "Pierre Raynaud",
    "trade": "éleveur et charcutier",
    "town": "Lacaune",
    "email": "pierre@example.fr",
    "phone": "06 16 26 36 46",
    "siret": "80000122200002",
    "vatStatus": "subject",
    "commissionBp": 2200
  },
  {
    "slug": "elevage-de-vabre",
    "name": "Élevage de Vabre",
    "legalName": "GAEC de Vabre",
    "contactName": "Sophie Galinier",
    "trade": "éleveuse (Aubrac)",
    "town": "Vabre",
    "email": "sophie@example.fr",
    "phone": "06 17 27 37 47",
    "siret": "80000125900004",
    "vatStatus": "subject",
    "commissionBp": 2000
  },
  {
    "slug": "volailles-de-lautrec",
    "name": "Volailles de Lautrec",
    "legalName": "EARL des Volailles",
    "contactName": "Nicolas Barthe",
    "trade": "éleveur de volailles",
    "town": "Lautrec",
    "email": "nicolas@example.fr",
    "phone": "06 18 28 38 48",
    "siret": "80000129600006",
    "vatStatus": "subject",
    "commissionBp": 2000
  },
  {
    "slug": "brasserie-montagne-noire",
    "name": "Brasserie de la Montagne Noire",
    "legalName": "SAS Brasserie de la Montagne Noire",
    "contactName": "Lucas Roques",
    "trade": "brasseur",
    "town": "Dourgne",
    "email": "lucas@example.fr",
    "phone": "06 19 29 39 49",
    "siret": "80000133300007",
    "vatStatus": "subject",
    "commissionBp": 2200
  },
  {
    "slug": "domaine-de-gaillac",
    "name": "Domaine des Coteaux de Gaillac",
    "legalName": "SCEA des Coteaux",
    "contactName": "Isabelle Fabre",
    "trade": "vigneronne",
    "town": "Lautrec",
    "email": "isabelle@example.fr",
    "phone": "06 20 30 40 50",
    "siret": "80000137000009",
    "vatStatus": "subject",
    "commissionBp": 2000
  },
  {
    "slug": "vergers-de-puylaurens",
    "name": "Les Vergers de Puylaurens",
    "legalName": "EARL des Vergers",
    "contactName": "Damien Sicard",
    "trade": "arboriculteur",
    "town": "Puylaurens",
    "email": "damien@example.fr",
    "phone": "06 21 31 41 51",
    "siret": "80000140700009",
    "vatStatus": "franchise",
    "commissionBp": 1800
  },
  {
    "slug": "confitures-d-aline",
    "name": "Les Confitures d’Aline",
    "legalName": "Aline Cassan EI",
    "contactName": "Aline Cassan",
    "trade": "confiturière",
    "town": "Saint-Amans-Soult",
    "email": "aline@example.fr",
    "phone": "06 22 32 42 52",
    "siret": "80000144400002",
    "vatStatus": "franchise",
    "commissionBp": 2000
  },
  {
    "slug": "moulin-de-viviers",
    "name": "Le Moulin de Viviers",
    "legalName": "SARL Moulin de Viviers",
    "contactName": "Bernard Alquier",
    "trade": "meunier et huilier",
    "town": "Viviers-lès-Montagnes",
    "email": "bernard@example.fr",
    "phone": "06 23 33 43 53",
    "siret": "80000148100004",
    "vatStatus": "subject",
    "commissionBp": 1800
  },
  {
    "slug": "laines-de-mazamet",
    "name": "Laines de Mazamet",
    "legalName": "SCOP Laines de Mazamet",
    "contactName": "Camille Durand",
    "trade": "filature et tricot",
    "town": "Mazamet",
    "email": "camille@example.fr",
    "phone": "06 24 34 44 54",
    "siret": "80000151800003",
    "vatStatus": "subject",
    "commissionBp": 2500
  },
  {
    "slug": "savonnerie-du-sidobre",
    "name": "Savonnerie du Sidobre",
    "legalName": "Lucie Pujol EI",
    "contactName": "Lucie Pujol",
    "trade": "savonnière",
    "town": "Burlats",
    "email": "lucie@example.fr",
    "phone": "06 25 35 45 55",
    "siret": "80000155500005",
    "vatStatus": "franchise",
    "commissionBp": 2500
  },
  {
    "slug": "poterie-de-montredon",
    "name": "Poterie de Montredon",
    "legalName": "Marc Esquirol EI",
    "contactName": "Marc Esquirol",
    "trade": "potier",
    "town": "Montredon-Labessonnié",
    "email": "marc@example.fr",
    "phone": "06 26 36 46 56",
    "siret": "80000159200008",
    "vatStatus": "franchise",
    "commissionBp": 2500
  },
  {
    "slug": "fleurs-de-castres",
    "name": "Les Fleurs de l’Agout",
    "legalName": "EARL Fleurs de l’Agout",
    "contactName": "Nadia Benali",
    "trade": "horticultrice",
    "town": "Castres",
    "email": "nadia@example.fr",
    "phone": "06 27 37 47 57",
    "siret": "80000162900008",
    "vatStatus": "subject",
    "commissionBp": 2000
  }
];

export const demoProducts: DemoProduct[] = [
  {"name": "Tomates anciennes", "producer": "ferme-du-sidobre", "category": "fruits-legumes", "unit": "kg", "priceCents": 490, "vatRateBp": 550, "outlets": ["shop"], "plu": "00041", "stockTracked": true, "lowStockThreshold": 3000, "initialStock": 15000},
  {"name": "Courgettes", "producer": "ferme-du-sidobre", "category": "fruits-legumes", "unit": "kg", "priceCents": 320, "vatRateBp": 550, "outlets": ["shop"], "plu": "00042", "stockTracked": true, "initialStock": 10000},
  {"name": "Pommes de terre de montagne", "producer": "ferme-du-sidobre", "category": "fruits-legumes", "unit": "kg", "priceCents": 210, "vatRateBp": 550, "outlets": ["shop"], "plu": "00043", "stockTracked": true, "lowStockThreshold": 8000, "initialStock": 40000},
  {"name": "Salade batavia", "producer": "ferme-du-sidobre", "category": "fruits-legumes", "unit": "piece", "priceCents": 150, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 30},
  {"name": "Botte de radis", "producer": "ferme-du-sidobre", "category": "fruits-legumes", "unit": "piece", "priceCents": 180, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 20},
  {"name": "Carottes des sables", "producer": "jardins-d-angles", "category": "fruits-legumes", "unit": "kg", "priceCents": 280, "vatRateBp": 550, "outlets": ["shop"], "plu": "00044", "stockTracked": true, "initialStock": 20000},
  {"name": "Poireaux", "producer": "jardins-d-angles", "category": "fruits-legumes", "unit": "kg", "priceCents": 350, "vatRateBp": 550, "outlets": ["shop"], "plu": "00045", "stockTracked": true, "initialStock": 12000},
  {"name": "Oignons doux", "producer": "jardins-d-angles", "category": "fruits-legumes", "unit": "kg", "priceCents": 390, "vatRateBp": 550, "outlets": ["shop"], "plu": "00046", "stockTracked": true, "initialStock": 8000},
  {"name": "Panier de légumes de saison", "producer": "jardins-d-angles", "category": "fruits-legumes", "unit": "piece", "priceCents": 1500, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 10},
  {"name": "Tomme de brebis affinée", "producer": "bergerie-de-lacaune", "category": "fromages", "unit": "kg", "priceCents": 2600, "vatRateBp": 550, "outlets": ["shop"], "plu": "00047", "stockTracked": true, "lowStockThreshold": 1500, "initialStock": 6000},
  {"name": "Pérail de brebis (à la coupe)", "producer": "bergerie-de-lacaune", "category": "fromages", "unit": "kg", "priceCents": 2890, "vatRateBp": 550, "outlets": ["shop"], "plu": "00048", "stockTracked": true, "initialStock": 3000},
  {"name": "Yaourt au lait de brebis", "producer": "bergerie-de-lacaune", "category": "fromages", "unit": "piece", "priceCents": 120, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "lowStockThreshold": 12, "initialStock": 48, "barcode": "2000000001012"},
  {"name": "Fromage blanc de brebis 400 g", "producer": "bergerie-de-lacaune", "category": "fromages", "unit": "piece", "priceCents": 450, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 20, "barcode": "2000000001029"},
  {"name": "Pérail entier 150 g", "producer": "bergerie-de-lacaune", "category": "fromages", "unit": "piece", "priceCents": 480, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 24, "barcode": "2000000001036"},
  {"name": "Crottin de chèvre frais", "producer": "chevrerie-du-thore", "category": "fromages", "unit": "piece", "priceCents": 290, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "lowStockThreshold": 6, "initialStock": 36, "barcode": "2000000001043"},
  {"name": "Bûche de chèvre cendrée", "producer": "chevrerie-du-thore", "category": "fromages", "unit": "piece", "priceCents": 650, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 12, "barcode": "2000000001050"},
  {"name": "Tomme de chèvre", "producer": "chevrerie-du-thore", "category": "fromages", "unit": "kg", "priceCents": 2950, "vatRateBp": 550, "outlets": ["shop"], "plu": "00049", "stockTracked": true, "initialStock": 4000},
  {"name": "Pain de campagne 1 kg", "producer": "fournil-de-roquecourbe", "category": "boulangerie", "unit": "piece", "priceCents": 520, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "lowStockThreshold": 4, "initialStock": 20},
  {"name": "Pain complet au levain 750 g", "producer": "fournil-de-roquecourbe", "category": "boulangerie", "unit": "piece", "priceCents": 480, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 15},
  {"name": "Fouace aveyronnaise", "producer": "fournil-de-roquecourbe", "category": "boulangerie", "unit": "piece", "priceCents": 890, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 8, "barcode": "2000000001067"},
  {"name": "Croquants aux amandes 200 g", "producer": "fournil-de-roquecourbe", "category": "boulangerie", "unit": "piece", "priceCents": 450, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 25, "barcode": "2000000001074"},
  {"name": "Brioche pur beurre", "producer": "fournil-de-roquecourbe", "category": "boulangerie", "unit": "piece", "priceCents": 650, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 10},
  {"name": "Miel de châtaignier 500 g", "producer": "rucher-de-brassac", "category": "miel-confitures", "unit": "piece", "priceCents": 950, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "lowStockThreshold": 5, "initialStock": 30, "barcode": "2000000001081"},
  {"name": "Miel de bruyère 500 g", "producer": "rucher-de-brassac", "category": "miel-confitures", "unit": "piece", "priceCents": 1050, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 24, "barcode": "2000000001098"},
  {"name": "Miel toutes fleurs 1 kg", "producer": "rucher-de-brassac", "category": "miel-confitures", "unit": "piece", "priceCents": 1600, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 12, "barcode": "2000000001104"},
  {"name": "Pain d’épices au miel", "producer": "rucher-de-brassac", "category": "miel-confitures", "unit": "piece", "priceCents": 720, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 10, "barcode": "2000000001111"},
  {"name": "Bougie en cire d’abeille", "producer": "rucher-de-brassac", "category": "textile-artisanat", "unit": "piece", "priceCents": 850, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 15, "barcode": "2000000001128"},
  {"name": "Saucisse de Lacaune", "producer": "salaisons-de-lacaune", "category": "boucherie", "unit": "kg", "priceCents": 1690, "vatRateBp": 550, "outlets": ["shop"], "plu": "00050", "stockTracked": true, "lowStockThreshold": 2000, "initialStock": 8000},
  {"name": "Jambon de Lacaune (à la coupe)", "producer": "salaisons-de-lacaune", "category": "boucherie", "unit": "kg", "priceCents": 3490, "vatRateBp": 550, "outlets": ["shop"], "plu": "00051", "stockTracked": true, "initialStock": 5000},
  {"name": "Saucisson sec de Lacaune", "producer": "salaisons-de-lacaune", "category": "boucherie", "unit": "piece", "priceCents": 790, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "lowStockThreshold": 8, "initialStock": 40, "barcode": "2000000001135"},
  {"name": "Pâté de campagne 180 g", "producer": "salaisons-de-lacaune", "category": "boucherie", "unit": "piece", "priceCents": 520, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 30, "barcode": "2000000001142"},
  {"name": "Pâté au piment d’Espelette 180 g", "producer": "salaisons-de-lacaune", "category": "boucherie", "unit": "piece", "priceCents": 560, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 20, "barcode": "2000000001159"},
  {"name": "Rillettes de porc 200 g", "producer": "salaisons-de-lacaune", "category": "boucherie", "unit": "piece", "priceCents": 590, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 20, "barcode": "2000000001166"},
  {"name": "Bœuf Aubrac — entrecôte", "producer": "elevage-de-vabre", "category": "boucherie", "unit": "kg", "priceCents": 3290, "vatRateBp": 550, "outlets": ["shop"], "plu": "00052", "stockTracked": true, "initialStock": 4000},
  {"name": "Bœuf Aubrac — haché frais", "producer": "elevage-de-vabre", "category": "boucherie", "unit": "kg", "priceCents": 1590, "vatRateBp": 550, "outlets": ["shop"], "plu": "00053", "stockTracked": true, "initialStock": 5000},
  {"name": "Veau d’Aubrac — blanquette", "producer": "elevage-de-vabre", "category": "boucherie", "unit": "kg", "priceCents": 1890, "vatRateBp": 550, "outlets": ["shop"], "plu": "00054", "stockTracked": true, "initialStock": 3000},
  {"name": "Colis de bœuf 5 kg", "producer": "elevage-de-vabre", "category": "boucherie", "unit": "piece", "priceCents": 8900, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 4, "barcode": "2000000001173"},
  {"name": "Poulet fermier prêt à cuire", "producer": "volailles-de-lautrec", "category": "oeufs", "unit": "piece", "priceCents": 1850, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 10},
  {"name": "Boîte de 6 œufs plein air", "producer": "volailles-de-lautrec", "category": "oeufs", "unit": "piece", "priceCents": 330, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "lowStockThreshold": 12, "initialStock": 60, "barcode": "2000000001180"},
  {"name": "Boîte de 12 œufs plein air", "producer": "volailles-de-lautrec", "category": "oeufs", "unit": "piece", "priceCents": 620, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 30, "barcode": "2000000001197"},
  {"name": "Terrine de canard 180 g", "producer": "volailles-de-lautrec", "category": "oeufs", "unit": "piece", "priceCents": 690, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 18, "barcode": "2000000001203"},
  {"name": "Bière blonde de la Montagne Noire 33 cl", "producer": "brasserie-montagne-noire", "category": "bieres-vins", "unit": "piece", "priceCents": 320, "vatRateBp": 2000, "outlets": ["shop", "restaurant"], "stockTracked": true, "lowStockThreshold": 24, "initialStock": 96, "barcode": "2000000001210"},
  {"name": "Bière ambrée 33 cl", "producer": "brasserie-montagne-noire", "category": "bieres-vins", "unit": "piece", "priceCents": 340, "vatRateBp": 2000, "outlets": ["shop", "restaurant"], "stockTracked": true, "initialStock": 72, "barcode": "2000000001227"},
  {"name": "Bière IPA 75 cl", "producer": "brasserie-montagne-noire", "category": "bieres-vins", "unit": "piece", "priceCents": 790, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 24, "barcode": "2000000001234"},
  {"name": "Coffret découverte 4 bières", "producer": "brasserie-montagne-noire", "category": "bieres-vins", "unit": "piece", "priceCents": 1490, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 8, "barcode": "2000000001241"},
  {"name": "Gaillac rouge AOP 75 cl", "producer": "domaine-de-gaillac", "category": "bieres-vins", "unit": "piece", "priceCents": 1150, "vatRateBp": 2000, "outlets": ["shop", "restaurant"], "stockTracked": true, "initialStock": 36, "barcode": "2000000001258"},
  {"name": "Gaillac blanc perlé 75 cl", "producer": "domaine-de-gaillac", "category": "bieres-vins", "unit": "piece", "priceCents": 990, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 36, "barcode": "2000000001265"},
  {"name": "Gaillac rosé 75 cl", "producer": "domaine-de-gaillac", "category": "bieres-vins", "unit": "piece", "priceCents": 890, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 24, "barcode": "2000000001272"},
  {"name": "Gaillac doux 50 cl", "producer": "domaine-de-gaillac", "category": "bieres-vins", "unit": "piece", "priceCents": 1350, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 12, "barcode": "2000000001289"},
  {"name": "Pommes reinettes", "producer": "vergers-de-puylaurens", "category": "fruits-legumes", "unit": "kg", "priceCents": 290, "vatRateBp": 550, "outlets": ["shop"], "plu": "00055", "stockTracked": true, "lowStockThreshold": 5000, "initialStock": 25000},
  {"name": "Poires williams", "producer": "vergers-de-puylaurens", "category": "fruits-legumes", "unit": "kg", "priceCents": 380, "vatRateBp": 550, "outlets": ["shop"], "plu": "00056", "stockTracked": true, "initialStock": 10000},
  {"name": "Jus de pomme 1 L", "producer": "vergers-de-puylaurens", "category": "boissons", "unit": "piece", "priceCents": 390, "vatRateBp": 550, "outlets": ["shop", "restaurant"], "stockTracked": true, "lowStockThreshold": 10, "initialStock": 60, "barcode": "2000000001296"},
  {"name": "Jus de pomme-poire 1 L", "producer": "vergers-de-puylaurens", "category": "boissons", "unit": "piece", "priceCents": 420, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 30, "barcode": "2000000001302"},
  {"name": "Cidre fermier brut 75 cl", "producer": "vergers-de-puylaurens", "category": "bieres-vins", "unit": "piece", "priceCents": 650, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 24, "barcode": "2000000001319"},
  {"name": "Confiture de figues 350 g", "producer": "confitures-d-aline", "category": "miel-confitures", "unit": "piece", "priceCents": 550, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 24, "barcode": "2000000001326"},
  {"name": "Confiture d’abricots 350 g", "producer": "confitures-d-aline", "category": "miel-confitures", "unit": "piece", "priceCents": 550, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 24, "barcode": "2000000001333"},
  {"name": "Gelée de coing 250 g", "producer": "confitures-d-aline", "category": "miel-confitures", "unit": "piece", "priceCents": 490, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 18, "barcode": "2000000001340"},
  {"name": "Confiture de châtaignes 350 g", "producer": "confitures-d-aline", "category": "miel-confitures", "unit": "piece", "priceCents": 590, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 20, "barcode": "2000000001357"},
  {"name": "Farine de blé T80 1 kg", "producer": "moulin-de-viviers", "category": "epicerie", "unit": "piece", "priceCents": 320, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 40, "barcode": "2000000001364"},
  {"name": "Farine de sarrasin 1 kg", "producer": "moulin-de-viviers", "category": "epicerie", "unit": "piece", "priceCents": 460, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 20, "barcode": "2000000001371"},
  {"name": "Huile de noix 50 cl", "producer": "moulin-de-viviers", "category": "epicerie", "unit": "piece", "priceCents": 1490, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 12, "barcode": "2000000001388"},
  {"name": "Huile de tournesol 1 L", "producer": "moulin-de-viviers", "category": "epicerie", "unit": "piece", "priceCents": 690, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 18, "barcode": "2000000001395"},
  {"name": "Lentilles vertes 500 g", "producer": "moulin-de-viviers", "category": "epicerie", "unit": "piece", "priceCents": 380, "vatRateBp": 550, "outlets": ["shop"], "stockTracked": true, "initialStock": 30, "barcode": "2000000001401"},
  {"name": "Écharpe en laine de brebis", "producer": "laines-de-mazamet", "category": "textile-artisanat", "unit": "piece", "priceCents": 4500, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 8, "barcode": "2000000001418"},
  {"name": "Bonnet en laine", "producer": "laines-de-mazamet", "category": "textile-artisanat", "unit": "piece", "priceCents": 2900, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 12, "barcode": "2000000001425"},
  {"name": "Chaussettes de laine", "producer": "laines-de-mazamet", "category": "textile-artisanat", "unit": "piece", "priceCents": 1800, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 20, "barcode": "2000000001432"},
  {"name": "Pelote de laine 100 g", "producer": "laines-de-mazamet", "category": "textile-artisanat", "unit": "piece", "priceCents": 950, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 40, "barcode": "2000000001449"},
  {"name": "Savon au lait de brebis", "producer": "savonnerie-du-sidobre", "category": "cosmetiques", "unit": "piece", "priceCents": 650, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 40, "barcode": "2000000001456"},
  {"name": "Savon lavande et miel", "producer": "savonnerie-du-sidobre", "category": "cosmetiques", "unit": "piece", "priceCents": 650, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 30, "barcode": "2000000001463"},
  {"name": "Baume à lèvres à la cire d’abeille", "producer": "savonnerie-du-sidobre", "category": "cosmetiques", "unit": "piece", "priceCents": 590, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 25, "barcode": "2000000001470"},
  {"name": "Bol en grès", "producer": "poterie-de-montredon", "category": "textile-artisanat", "unit": "piece", "priceCents": 2200, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 10, "barcode": "2000000001487"},
  {"name": "Mug émaillé", "producer": "poterie-de-montredon", "category": "textile-artisanat", "unit": "piece", "priceCents": 1800, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 12, "barcode": "2000000001494"},
  {"name": "Pot à miel en grès", "producer": "poterie-de-montredon", "category": "textile-artisanat", "unit": "piece", "priceCents": 2600, "vatRateBp": 2000, "outlets": ["shop"], "stockTracked": true, "initialStock": 6, "barcode": "2000000001500"},
  {"name": "Bouquet de saison", "producer": "fleurs-de-castres", "category": "fleurs", "unit": "piece", "priceCents": 1500, "vatRateBp": 1000, "outlets": ["shop"], "stockTracked": true, "initialStock": 10},
  {"name": "Plant de tomate", "producer": "fleurs-de-castres", "category": "fleurs", "unit": "piece", "priceCents": 350, "vatRateBp": 1000, "outlets": ["shop"], "stockTracked": true, "initialStock": 40},
  {"name": "Pot d’aromatiques", "producer": "fleurs-de-castres", "category": "fleurs", "unit": "piece", "priceCents": 450, "vatRateBp": 1000, "outlets": ["shop"], "stockTracked": true, "initialStock": 30},
  {"name": "Plat du jour", "producer": null, "category": "plats", "unit": "piece", "priceCents": 1350, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Formule déjeuner (plat + dessert)", "producer": null, "category": "plats", "unit": "piece", "priceCents": 1690, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Formule complète", "producer": null, "category": "plats", "unit": "piece", "priceCents": 1990, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Assiette de charcuterie de Lacaune", "producer": null, "category": "plats", "unit": "piece", "priceCents": 1200, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Planche de fromages de brebis", "producer": null, "category": "plats", "unit": "piece", "priceCents": 1150, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Croque du Sidobre", "producer": null, "category": "plats", "unit": "piece", "priceCents": 950, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Soupe du marché", "producer": null, "category": "plats", "unit": "piece", "priceCents": 650, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Tarte aux pommes", "producer": null, "category": "desserts", "unit": "piece", "priceCents": 550, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Fromage blanc au miel", "producer": null, "category": "desserts", "unit": "piece", "priceCents": 480, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Croustade aux pommes", "producer": null, "category": "desserts", "unit": "piece", "priceCents": 590, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Café", "producer": null, "category": "boissons-chaudes", "unit": "piece", "priceCents": 180, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Café crème", "producer": null, "category": "boissons-chaudes", "unit": "piece", "priceCents": 280, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Thé ou infusion", "producer": null, "category": "boissons-chaudes", "unit": "piece", "priceCents": 300, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Chocolat chaud", "producer": null, "category": "boissons-chaudes", "unit": "piece", "priceCents": 350, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Sirop à l’eau", "producer": null, "category": "bar", "unit": "piece", "priceCents": 220, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Verre de jus de pomme", "producer": null, "category": "bar", "unit": "piece", "priceCents": 300, "vatRateBp": 1000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Demi de bière pression", "producer": null, "category": "bar", "unit": "piece", "priceCents": 350, "vatRateBp": 2000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Verre de Gaillac", "producer": null, "category": "bar", "unit": "piece", "priceCents": 450, "vatRateBp": 2000, "outlets": ["restaurant"], "stockTracked": false},
  {"name": "Pichet de Gaillac 50 cl", "producer": null, "category": "bar", "unit": "piece", "priceCents": 1400, "vatRateBp": 2000, "outlets": ["restaurant"], "stockTracked": false},
];

export const demoStaff: DemoStaff[] = [
  {
    "displayName": "Léa (caisse)",
    "role": "cashier",
    "pin": "1234"
  },
  {
    "displayName": "Hugo (caisse)",
    "role": "cashier",
    "pin": "2468"
  },
  {
    "displayName": "Gérant",
    "role": "manager",
    "pin": "9999"
  },
  {
    "displayName": "Inès (salle)",
    "role": "waiter",
    "pin": "1357"
  },
  {
    "displayName": "Karim (salle)",
    "role": "waiter",
    "pin": "8642"
  }
];
