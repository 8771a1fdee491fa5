-- Driven by test/e2e/neovim.test.mjs in Neovim 0.7 (Debian's):
--   nvim --headless -u NONE -i NONE -n -c 'luafile check-lsp.lua'
-- Environment: SG_CONFIG (the README's Neovim snippet, as a Lua file), SG_FILE (the manifest to
-- open), SG_HOVER_TEXT (text whose first character to hover), SG_OUT (where to write the JSON
-- result), SG_TIMEOUT_MS. secret-guard-ls must be on PATH, as the snippet expects.
local out_path = assert(os.getenv('SG_OUT'), 'SG_OUT is not set')
local timeout = tonumber(os.getenv('SG_TIMEOUT_MS') or '20000')
local result = { nvim = tostring(vim.version().major .. '.' .. vim.version().minor .. '.' .. vim.version().patch) }

local function finish()
  local file = assert(io.open(out_path, 'w'))
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  -- The user's configuration: exactly the README's snippet.
  dofile((assert(os.getenv('SG_CONFIG'), 'SG_CONFIG is not set')))
  -- `-u NONE` skips filetype detection; a user's init has it on.
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape((assert(os.getenv('SG_FILE'), 'SG_FILE is not set'))))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype

  result.attached = vim.wait(timeout, function()
    return #vim.lsp.buf_get_clients(buf) > 0
  end, 20)
  for _, client in pairs(vim.lsp.buf_get_clients(buf)) do
    result.client = client.name
  end

  -- Diagnostics are pushed; wait until they arrive.
  vim.wait(timeout, function()
    return #vim.diagnostic.get(buf) > 0
  end, 20)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(result.diagnostics, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = d.code or lsp.code,
    })
  end

  -- A hover, as `K` (vim.lsp.buf.hover) would request it.
  local needle = os.getenv('SG_HOVER_TEXT')
  if needle then
    local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    for i, line in ipairs(lines) do
      local col = line:find(needle, 1, true)
      if col then
        local params = {
          textDocument = { uri = vim.uri_from_bufnr(buf) },
          position = { line = i - 1, character = col - 1 },
        }
        local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, timeout)
        result.hover = {}
        for _, response in pairs(responses or {}) do
          if response.result and response.result.contents then
            table.insert(result.hover, response.result.contents)
          end
        end
        break
      end
    end
  end
end)
if not ok then
  result.error = tostring(err)
end
finish()
