/** The agreements feature and its two read sides, for ApiModule: the public register and the inbox. */
export { AgreementsModule } from './agreements.module';
export { RegisterModule } from '../register/register.module';
export { NotificationsModule } from '../notifications/notifications.module';
