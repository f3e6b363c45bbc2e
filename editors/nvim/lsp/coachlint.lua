-- The coachlint language server for Neovim 0.11+: `vim.lsp.enable('coachlint')`.
-- Override any field with vim.lsp.config('coachlint', { ... }), e.g. the server path
-- (cmd) or the settings that mirror .coachlint.toml (init_options):
--   vim.lsp.config('coachlint', {
--     cmd = { '/path/to/coachlint', 'lsp' },
--     init_options = { coach = { 'Maya Chen' }, ignore = { 'ADV003' },
--                      severity = { judgment = 'hint' }, thresholds = { ['max-talk-share'] = 0.4 } },
--   })
---@type vim.lsp.Config
return {
  cmd = { 'coachlint', 'lsp' },
  filetypes = { 'coaching-transcript', 'webvtt', 'srt', 'text' },
  -- .vtt/.srt/.txt buffers are attached only when vim.g.coachlint.other_formats is on
  -- and they look like transcripts.
  root_dir = function(bufnr, on_dir)
    require('coachlint').root_dir(bufnr, on_dir)
  end,
  -- init_options (not set here): coachlint_core::Settings, i.e. coach, select, ignore,
  -- severity, thresholds, rule-packs, input-format, layered over .coachlint.toml.
}
