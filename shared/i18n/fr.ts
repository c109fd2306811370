/** The French catalogue: the reference. Every key here must exist in every other language. */
export const fr = {
  'app.title': 'Comptoir',
  'app.demo': 'DÉMO — boutique de démonstration, les données sont fictives',
  'login.title': 'Connexion',
  'login.login': 'Identifiant',
  'login.password': 'Mot de passe',
  'login.submit': 'Se connecter',
  'login.failed': 'Identifiant ou mot de passe incorrect.',
  'home.hello': 'Bonjour {name}',
  'home.role': 'Rôle : {role}',
  'home.logout': 'Se déconnecter',
  'home.next': 'Les écrans de caisse, du portail producteur et du back-office arrivent ; l’API est documentée sur /api/openapi.json.',
  'role.admin': 'administrateur',
  'role.manager': 'gérant',
  'role.cashier': 'caissier',
  'role.waiter': 'serveur',
  'role.producer': 'producteur',
  'lang.switch': 'English',
  'error.network': 'Serveur injoignable. Vérifiez le Wi-Fi.',
} as const;

export type MessageKey = keyof typeof fr;
export type Catalogue = Record<MessageKey, string>;
