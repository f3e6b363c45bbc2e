-- coachlint for Neovim: filetype, which buffers the language server sees, the
-- session report. The linting itself, quick fixes, hovers, lenses and symbols all
-- come from `coachlint lsp` through Neovim's own LSP client (see lsp/coachlint.lua).
local M = {}

M.filetype = 'coaching-transcript'

--- Filetypes whose buffers are linted when they look like transcripts (opt-in).
M.other_filetypes = { 'webvtt', 'srt', 'text' }

local defaults = {
  -- Lint Zoom/Teams WebVTT, SRT and Otter/Rev .txt files that look like transcripts.
  other_formats = false,
  -- How `:CoachlintReport` opens the HTML report: a function(path), default vim.ui.open.
  open = nil,
}

--- The options in force: vim.g.coachlint over the defaults.
function M.options()
  return vim.tbl_extend('force', defaults, vim.g.coachlint or {})
end

--- Sets options (same keys as vim.g.coachlint) and applies them.
function M.setup(opts)
  vim.g.coachlint = vim.tbl_extend('force', vim.g.coachlint or {}, opts or {})
  M.apply()
end

--- Filetype detection: *.transcript always; *.vtt gets a name when other formats are on.
function M.apply()
  vim.filetype.add({ extension = { transcript = M.filetype } })
  if M.options().other_formats then
    vim.filetype.add({ extension = { vtt = 'webvtt' } })
  end
end

-- What the head of a file must show to be taken for a transcript: a speaker label on a
-- fair share of the lines, from two or more speakers who speak more than once. Mirrors
-- the VS Code extension's check; the server checks again with the engine's parser.
local SNIFF_BYTES = 16 * 1024
local NOT_SPEAKERS = {
  note = true, notes = true, todo = true, warning = true, error = true, info = true,
  example = true, see = true, http = true, https = true, date = true, subject = true,
  from = true, to = true, re = true, kind = true,
}

local function label(line)
  -- Teams voice tag: <v Name>
  local name = line:match('<v[%w.%-]*%s+([^>]+)>')
  if name then return name end
  -- Otter heading: "Name  0:02"
  name = line:match('^(%S.-)  +%d%d?:%d%d:?%d?%d?%s*$')
  if name then return name end
  -- Rev heading: "Name (00:00:02):"
  name = line:match('^(%S.-) %(%d[%d:]*%):%s*$')
  if name then return name end
  -- "[00:00:02] Name: text", "Name: text", "**Name:** text"
  local rest = line:gsub('^%[?%d%d?:%d%d[%d:.,]*%]?%s+', '')
  name = rest:match('^%*%*([^*:]+):?%*%*:?%s+%S') or rest:match('^([^:%s][^:]-)%s*:%s+%S')
  return name
end

--- Speakers and counts in the head of a text.
function M.sniff(text)
  local head = text:sub(1, SNIFF_BYTES):gsub('^\239\187\191', '')
  local lines = vim.split(head, '\r?\n')
  if #text > SNIFF_BYTES then table.remove(lines) end
  local speakers, nspeakers, labelled, content = {}, 0, 0, 0
  local i = 1
  if vim.trim(lines[1] or '') == '---' then
    for j = 2, #lines do
      if vim.trim(lines[j]) == '---' then
        i = j + 1
        break
      end
    end
  end
  for k = i, #lines do
    local line = vim.trim(lines[k])
    local skip = line == '' or line:find('^WEBVTT') or line:find('^NOTE') or line:find('^#')
      or line:find('-->', 1, true) or line:find('^%d+$')
    if not skip then
      content = content + 1
      local name = label(line)
      name = name and vim.trim(name)
      if name and name ~= '' and #name <= 60 and #vim.split(name, '%s+') <= 5
        and name:find('^[%a\128-\255]') and not NOT_SPEAKERS[name:lower()] then
        if not speakers[name] then nspeakers = nspeakers + 1 end
        speakers[name] = (speakers[name] or 0) + 1
        labelled = labelled + 1
      end
    end
  end
  return { speakers = speakers, nspeakers = nspeakers, labelled = labelled, content = content }
end

function M.looks_like_transcript(text)
  local s = M.sniff(text)
  local recurring = s.labelled <= 3 or s.labelled >= 1.5 * s.nspeakers
  return s.nspeakers >= 2 and s.labelled >= 0.3 * s.content and recurring
end

--- Whether the server should see this buffer.
function M.wanted(bufnr)
  local ft = vim.bo[bufnr].filetype
  if ft == M.filetype then return true end
  if not (M.options().other_formats and vim.tbl_contains(M.other_filetypes, ft)) then return false end
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, 400, false)
  return M.looks_like_transcript(table.concat(lines, '\n'))
end

--- `root_dir` for vim.lsp.config: attaches only to wanted buffers.
function M.root_dir(bufnr, on_dir)
  if not M.wanted(bufnr) then return end
  local root = vim.fs.root(bufnr, { '.coachlint.toml', '.git' })
  local name = vim.api.nvim_buf_get_name(bufnr)
  on_dir(root or (name ~= '' and vim.fs.dirname(name)) or vim.fn.getcwd())
end

--- The coach's names from a buffer's front matter (`coach: Maya Chen`, `coach: [A, B]`).
function M.front_matter_coach(bufnr)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, 200, false)
  if vim.trim(lines[1] or '') ~= '---' then return {} end
  for i = 2, #lines do
    local line = lines[i]
    if vim.trim(line) == '---' then break end
    local value = line:match('^%s*[Cc]oach[es]*%s*:%s*(.-)%s*$')
    if value then
      local names = {}
      for name in value:gsub('^%[', ''):gsub('%]$', ''):gmatch('[^,]+') do
        name = vim.trim(name):gsub('^["\']', ''):gsub('["\']$', '')
        if name ~= '' then table.insert(names, name) end
      end
      return names
    end
  end
  return {}
end

--- Syntax items that set the coach's named labels apart (called by the syntax file).
function M.coach_syntax(bufnr)
  for _, name in ipairs(M.front_matter_coach(bufnr)) do
    local lit = '\\V' .. vim.fn.escape(name, '\\/') .. '\\m'
    vim.cmd(('syn match ctCoachLabel /^\\s*\\zs%s\\ze:\\s/'):format(lit))
    vim.cmd(('syn match ctCoachLabel /%s\\ze:\\s/ contained'):format(lit))
    vim.cmd(('syn match ctCoachLabel /^\\s*\\*\\*%s:\\?\\*\\*:\\?/'):format(lit))
  end
end

--- The coachlint binary: the one the LSP config runs, else `coachlint` on PATH.
function M.binary()
  local ok, config = pcall(function() return vim.lsp.config.coachlint end)
  local cmd = ok and config and config.cmd
  local bin = type(cmd) == 'table' and cmd[1] or 'coachlint'
  -- Absolute, so it still runs from the transcript's directory.
  local path = vim.fn.exepath(bin)
  return path ~= '' and path or bin
end

local function notify(msg, level)
  vim.notify('coachlint: ' .. msg, level or vim.log.levels.INFO)
end

--- :CoachlintReport [md]: writes the session report of the current buffer's file and
--- opens it (HTML in the browser, or Markdown in a split). `done(path_or_nil)` is
--- called when finished, for scripts and tests.
function M.report(opts, done)
  opts = opts or {}
  done = done or function() end
  local bufnr = opts.bufnr or vim.api.nvim_get_current_buf()
  local file = vim.api.nvim_buf_get_name(bufnr)
  if file == '' then
    notify('save the transcript to a file first', vim.log.levels.WARN)
    return done(nil)
  end
  if vim.bo[bufnr].modified then
    vim.api.nvim_buf_call(bufnr, function() vim.cmd('silent write') end)
  end
  local bin = M.binary()
  if vim.fn.executable(bin) ~= 1 then
    notify(('`%s` was not found: install coachlint (see :help coachlint-install)'):format(bin), vim.log.levels.ERROR)
    return done(nil)
  end
  local markdown = opts.format == 'md'
  local out = vim.fn.tempname() .. (markdown and '.md' or '.html')
  local args = { bin, 'report', file, '-o', out }
  if markdown then vim.list_extend(args, { '--format', 'md' }) end
  local started, err = pcall(vim.system, args, { text = true, cwd = vim.fs.dirname(file) }, vim.schedule_wrap(function(r)
    if r.code ~= 0 then
      local why = vim.trim(r.stderr or '')
      notify(('report failed: %s'):format(why ~= '' and why or ('exit code ' .. r.code)), vim.log.levels.ERROR)
      return done(nil)
    end
    if markdown then
      vim.cmd('split ' .. vim.fn.fnameescape(out))
    else
      local open = M.options().open or function(p) vim.ui.open(p) end
      open(out)
      notify('report written to ' .. out)
    end
    done(out)
  end))
  if not started then
    notify(('cannot run %s: %s'):format(bin, err), vim.log.levels.ERROR)
    return done(nil)
  end
end

return M
