import type { Catalogue } from './fr.ts';

export const en: Catalogue = {
  'app.title': 'Comptoir',
  'app.demo': 'DEMO — demonstration shop, all data is fictitious',
  'login.title': 'Log in',
  'login.login': 'Login',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.failed': 'Wrong login or password.',
  'home.hello': 'Hello {name}',
  'home.role': 'Role: {role}',
  'home.logout': 'Log out',
  'home.next': 'Till, producer portal and back-office screens are coming; the API is documented at /api/openapi.json.',
  'role.admin': 'administrator',
  'role.manager': 'manager',
  'role.cashier': 'cashier',
  'role.waiter': 'waiter',
  'role.producer': 'producer',
  'lang.switch': 'Français',
  'error.network': 'Server unreachable. Check the Wi-Fi.',
};
