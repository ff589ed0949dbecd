// Sign-in, sessions, second factor, API tokens, roles and the guards every protected route calls.
export * from './accounts';
export * from './api-token';
export * from './guard';
export * from './own-account';
export * from './password';
export * from './requested-unit';
export * from './scope';
export * from './session';
export * from './throttle';
export * from './totp';
export {
	claimTotpStep,
	countUsers,
	createUser,
	emailTaken,
	findForSignIn,
	getUser,
	listUsers,
	normaliseEmail,
	passwordHashOf,
	setDisabled,
	setPassword,
	setTotpKey,
	totpKeyOf,
	updateProfile,
	type UserRecord
} from './user';
