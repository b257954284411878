// survey-core's language modules register their strings when imported and export nothing Svar uses; they
// ship no type declarations of their own.
declare module 'survey-core/i18n/*';
