/**
 * One surface's messages, English and Brazilian Portuguese side by side so a translator reads them
 * together; the type makes a key missing in Portuguese a compile error (arguments: tests/unit/i18n.test.ts).
 */
export function messages<K extends string>(en: Record<K, string>, ptBR: Record<NoInfer<K>, string>) {
  return { en, 'pt-BR': ptBR };
}
