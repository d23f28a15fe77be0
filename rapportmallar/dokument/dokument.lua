-- Pandoc filter for a region's document (PDF through Typst, Word, Quarto's Markdown).
-- The input is the site's HTML of the region's reports. The filter
--   * drops the notebook's wrapper divs (cells, output areas), keeping their content;
--   * turns the site's notices (div.utv-notis) into block quotes, as the reports' own
--     simulated-data notices are;
--   * sets each report's provenance (the cell tagged "proveniens") apart: small text in the
--     PDF, the paragraph style "Proveniens" in Word;
--   * gives a table the caption of the "Tabell: ..." line above it;
--   * right-aligns the columns whose cells are all numbers;
--   * in the PDF, puts the contents after the introduction, on the same page;
--   * keeps the text of links to the site's own pages (they do not exist in a document),
--     and drops the headings' anchor links and every identifier.

local NUMBER_EXTRAS = {
  "\u{2212}", "\u{2013}", "\u{00A0}", "\u{202F}", "\u{2009}", " ", "%", "+", "-", ",", ".",
}

local function is_number(text)
  if text == "" or text == "\u{2013}" or text == "\u{2014}" or text == "-" then
    return nil -- empty: says nothing about the column
  end
  if not text:find("%d") then
    return false
  end
  local rest = text
  for _, extra in ipairs(NUMBER_EXTRAS) do
    rest = rest:gsub(extra:gsub("[%%%+%-%.]", "%%%0"), "")
  end
  return rest:match("^%d*$") ~= nil
end

local function has_class(el, name)
  return el.classes and el.classes:includes(name)
end

function Div(el)
  if has_class(el, "celltag_proveniens") then
    local blocks = el.content:filter(function(b) return b.t ~= "HorizontalRule" end)
    if FORMAT == "typst" then
      local out = pandoc.Blocks({ pandoc.RawBlock("typst", "#proveniens[") })
      out:extend(blocks)
      out:insert(pandoc.RawBlock("typst", "]"))
      return out
    end
    if FORMAT == "docx" then
      return pandoc.Div(blocks, { ["custom-style"] = "Proveniens" })
    end
    return pandoc.Div(blocks, { class = "proveniens" })
  end
  if has_class(el, "utv-notis") then
    return pandoc.BlockQuote(el.content)
  end
  if has_class(el, "utv-inledning") and FORMAT == "typst" then
    -- the PDF's second page: the introduction (not in the contents), then the contents
    local blocks = pandoc.Blocks({})
    for _, block in ipairs(el.content) do
      if block.t == "Header" and block.level == 1 then
        local title = pandoc.write(pandoc.Pandoc({ pandoc.Plain(block.content) }), "typst")
        blocks:insert(pandoc.RawBlock("typst", "#heading(level: 1, outlined: false)[" .. title .. "]"))
      else
        blocks:insert(block)
      end
    end
    blocks:insert(pandoc.RawBlock("typst", "#outline(title: [Innehåll], depth: 2, indent: 1.2em)"))
    return blocks
  end
  return el.content
end

function Header(el)
  el.identifier = ""
  el.content = el.content:filter(function(i)
    return not (i.t == "Link" and has_class(i, "anchor-link"))
  end)
  return el
end

function Link(el)
  local target = el.target
  if target:match("^https?://") or target:match("^mailto:") then
    el.identifier = ""
    return el
  end
  return el.content
end

function Span(el)
  return el.content
end

-- The characters a table row of the PDF has room for (8.5 pt type on a 16.6 cm line, the
-- cells' padding counted as two characters each).
local LINE_CHARS = 108
-- A header word longer than this is hyphenated rather than widening a column of numbers.
local HEADER_WORD = 11

local function text_length(text)
  return utf8.len(text) or #text
end

local function longest_word(text)
  local longest = 0
  for word in text:gmatch("%S+") do
    longest = math.max(longest, text_length(word))
  end
  return longest
end

-- For each column: right-aligned when every cell is a number (left otherwise), and, when
-- the table is wider than the page, a share of the width: a column whose cells do not break
-- (numbers, dates, codes) as wide as its longest cell and the longest word of its header;
-- the text columns share the rest, each at least as wide as its longest word, the rest in
-- proportion to what they would need unwrapped.
local function shape_columns(tbl)
  local columns = #tbl.colspecs
  local numeric, body_max, body_word, head_text, breaks = {}, {}, {}, {}, {}
  local declared = {}
  for col = 1, columns do
    body_max[col], body_word[col], head_text[col], breaks[col] = 0, 0, "", false
  end
  for _, row in ipairs(tbl.head.rows) do
    for col, cell in ipairs(row.cells) do
      if col <= columns then
        head_text[col] = head_text[col] .. " " .. pandoc.utils.stringify(cell.contents)
        -- the report's table says so itself (great-tables right-aligns its number columns)
        if cell.alignment == pandoc.AlignRight and col > 1 then
          declared[col] = true
        end
      end
    end
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for col, cell in ipairs(row.cells) do
        if col <= columns then
          local text = pandoc.utils.stringify(cell.contents)
          body_max[col] = math.max(body_max[col], text_length(text))
          body_word[col] = math.max(body_word[col], longest_word(text))
          if text:find("%s") then
            breaks[col] = true
          end
          local verdict = col > 1 and is_number(text)
          if verdict == false then
            numeric[col] = false
          elseif verdict == true and numeric[col] == nil then
            numeric[col] = true
          end
        end
      end
    end
  end
  for col = 1, columns do
    if declared[col] then
      numeric[col] = true
    end
  end
  local width, natural, least, total, fixed = {}, {}, {}, 0, 0
  for col = 1, columns do
    local head_word = math.ceil(longest_word(head_text[col]) * 1.2) -- bold
    natural[col] = math.max(body_max[col], text_length(head_text[col])) + 2
    total = total + natural[col]
    if numeric[col] or not breaks[col] then
      local head = math.min(math.max(head_word, math.ceil(text_length(head_text[col]) / 3)), 12)
      width[col] = math.max(math.ceil(body_max[col] * 1.1), math.min(head, HEADER_WORD), 3) + 2
      fixed = fixed + width[col]
    else
      least[col] = math.max(body_word[col], head_word, 6) + 2
    end
  end
  if total > LINE_CHARS then
    local spare, lacking = LINE_CHARS - fixed, 0
    for col = 1, columns do
      if least[col] then
        spare = spare - least[col]
        lacking = lacking + math.max(0, natural[col] - least[col])
      end
    end
    for col = 1, columns do
      if least[col] then
        local lack = math.max(0, natural[col] - least[col])
        local extra = 0
        if spare > 0 and lacking > 0 then
          extra = math.min(lack, spare * lack / lacking)
        end
        width[col] = least[col] + extra
      end
    end
  end
  local sum = 0
  for col = 1, columns do
    sum = sum + (width[col] or 0)
  end
  for col = 1, columns do
    local align = numeric[col] and pandoc.AlignRight or pandoc.AlignLeft
    local share = tbl.colspecs[col][2]
    if total > LINE_CHARS then
      share = width[col] / sum
    end
    tbl.colspecs[col] = { align, share }
    local function set(rows)
      for _, row in ipairs(rows) do
        if row.cells[col] then
          row.cells[col].alignment = align
        end
      end
    end
    set(tbl.head.rows)
    for _, body in ipairs(tbl.bodies) do
      set(body.body)
    end
  end
end

function Table(tbl)
  tbl.identifier = ""
  shape_columns(tbl)
  return tbl
end

function Image(img)
  img.identifier = ""
  -- only the images written beside the document; one elsewhere (a web address) is shown
  -- as its description
  if img.src:match("^%a[%w+.-]*:") then
    return pandoc.Emph(img.caption)
  end
  return img
end

function Figure(fig)
  fig.identifier = ""
  return fig
end

-- "Tabell: Per startår" as the caption of the table just below it.
local function table_title(block)
  if block.t ~= "Para" and block.t ~= "Plain" then
    return nil
  end
  if #block.content ~= 1 or block.content[1].t ~= "Strong" then
    return nil
  end
  local text = pandoc.utils.stringify(block.content[1])
  return text:match("^Tabell:%s*(.+)$")
end

function Blocks(blocks)
  local out = pandoc.Blocks({})
  local i = 1
  while i <= #blocks do
    local block, next_block = blocks[i], blocks[i + 1]
    local title = table_title(block)
    if title and next_block and next_block.t == "Table" and #next_block.caption.long == 0 then
      next_block.caption.long = pandoc.Blocks({ pandoc.Plain(pandoc.Inlines(title)) })
      out:insert(next_block)
      i = i + 2
    else
      out:insert(block)
      i = i + 1
    end
  end
  return out
end
