// Touchpoints (a survey at a unit on a channel), their kiosk devices and health, receipt tokens.
export * from './device-health';
export * as devices from './devices';
export * as receiptTokens from './receipt-tokens';
export * from './records';
