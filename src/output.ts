import { styleText } from 'node:util';

/** Colour only for a terminal that wants it (NO_COLOR, pipes and CI get plain text). */
const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
type Style = Parameters<typeof styleText>[0];
const paint = (style: Style) => (text: string) => (colour ? styleText(style, text) : text);

export const bold = paint('bold');
export const dim = paint('dim');
export const green = paint('green');
export const red = paint('red');
export const yellow = paint('yellow');
