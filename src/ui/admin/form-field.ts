import { html, nothing, type TemplateResult } from 'lit';

export interface FormFieldOptions {
  readonly type?: string;
  readonly autocomplete: string;
  readonly isRequired?: boolean;
  readonly minLength?: number;
  readonly value?: string;
  readonly placeholder?: string;
}

/**
 * A labelled input of the admin's forms with its problem beside it, in the form's own words (the
 * forms are `novalidate`, so the browser's pop-up never speaks for them). `problem` is '' when the
 * field is fine.
 */
export function formField(label: string, name: string, problem: string, options: FormFieldOptions): TemplateResult {
  return html`<label
      >${label}
      <input
        name=${name}
        type=${options.type ?? 'text'}
        autocomplete=${options.autocomplete}
        ?required=${options.isRequired ?? false}
        minlength=${options.minLength ?? nothing}
        .value=${options.value ?? ''}
        placeholder=${options.placeholder ?? nothing}
        aria-invalid=${problem === '' ? 'false' : 'true'}
        aria-describedby=${problem === '' ? nothing : `${name}-error`}
    /></label>
    ${problem === '' ? nothing : html`<p class="field-error" id="${name}-error" role="alert">${problem}</p>`}`;
}
