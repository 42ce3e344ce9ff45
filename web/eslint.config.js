// ESLint for both apps: Vue's essential rules and TypeScript's recommended ones.
import pluginVue from 'eslint-plugin-vue'
import { defineConfigWithVueTs, vueTsConfigs } from '@vue/eslint-config-typescript'

export default defineConfigWithVueTs(
  { ignores: ['dist/**', 'node_modules/**'] },
  pluginVue.configs['flat/essential'],
  vueTsConfigs.recommended,
  {
    rules: {
      // Page components are named by their folder (pages/login/LoginPage.vue).
      'vue/multi-word-component-names': 'off',
    },
  },
)
