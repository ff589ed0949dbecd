// Sign-in, sessions, second factor, API tokens, roles and the guards every protected route calls.
export * from './accounts';
export * from './api-token';
export * from './guard';
export * from './password';
export * from './scope';
export * from './session';
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
