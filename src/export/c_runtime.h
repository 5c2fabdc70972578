// The fixed part of an exported C scorer: helpers every generated source starts with.
#pragma once

namespace smartchurn::exporter {

// Missing-text test, caps, level lookup and tree walking, in C99 with only <math.h>/<string.h>.
// Expects `sc_extra_missing` (NULL-terminated) to be defined before it.
inline constexpr const char* kCRuntime = R"C(
/* True for ASCII text equal to `word` (lower case) ignoring case. */
static int sc_word_is(const char* text, size_t length, const char* word) {
  size_t i;
  if (strlen(word) != length) return 0;
  for (i = 0; i < length; ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != word[i]) return 0;
  }
  return 1;
}

static int sc_is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Missing as SmartChurn reads CSV cells: empty or blank, NA, N/A, null, NaN, "?" (any case), or one
   of the model's extra missing-value tokens (surrounding blanks ignored). */
static int sc_is_missing_text(const char* text) {
  const char* end;
  size_t length;
  int i;
  while (sc_is_space(*text)) ++text;
  end = text + strlen(text);
  while (end > text && sc_is_space(end[-1])) --end;
  length = (size_t)(end - text);
  if (length == 0) return 1;
  if (sc_word_is(text, length, "na") || sc_word_is(text, length, "n/a") ||
      sc_word_is(text, length, "null") || sc_word_is(text, length, "nan") ||
      sc_word_is(text, length, "?")) {
    return 1;
  }
  for (i = 0; sc_extra_missing[i] != NULL; ++i) {
    if (strlen(sc_extra_missing[i]) == length && memcmp(sc_extra_missing[i], text, length) == 0) {
      return 1;
    }
  }
  return 0;
}

/* The value limited to [lower, upper]; missing stays missing. */
static double sc_capped(double value, double lower, double upper) {
  if (isnan(value)) return value;
  return value < lower ? lower : (upper < value ? upper : value);
}

static int sc_text_is(const char* text, const char* level) {
  return text != NULL && strcmp(text, level) == 0;
}

/* Position of `text` among `count` levels, or `count` when it is none of them. */
static int sc_level_index(const char* text, const char* const* levels, int count) {
  int i;
  for (i = 0; i < count; ++i) {
    if (strcmp(text, levels[i]) == 0) return i;
  }
  return count;
}
)C";

// The node type of tree tables.
inline constexpr const char* kCTreeNode = R"C(
/* One tree node: children are indexes into sc_nodes (-1: a leaf, whose value is `value`); `split`
   is feature * 2 + 1 when a missing value goes left; `cats` indexes sc_category_words for a
   categorical split (-1: numeric split, x < value goes left). */
typedef struct {
  int left;
  int right;
  int split;
  int cats;
  float value;
} sc_node;
)C";

// Tree walking, added after the tables when the model is a tree ensemble.
inline constexpr const char* kCTreeRuntime = R"C(
/* Categorical split: a category in the node's set goes right; any other goes left. */
static int sc_category_goes_left(long offset, float x) {
  unsigned long words = sc_category_words[offset];
  unsigned long category;
  if (!(x >= 0.0f && x < 16777216.0f)) return 1;
  category = (unsigned long)x;
  if (category / 32ul >= words) return 1;
  return !((sc_category_words[offset + 1 + (long)(category / 32ul)] >> (category % 32ul)) & 1ul);
}

static float sc_leaf_value(int node_index, const float* x) {
  const sc_node* node = &sc_nodes[node_index];
  while (node->left >= 0) {
    float value = x[node->split / 2];
    int left;
    if (isnan(value)) {
      left = node->split % 2;
    } else if (node->cats < 0) {
      left = value < node->value;
    } else {
      left = sc_category_goes_left(node->cats, value);
    }
    node = &sc_nodes[left ? node->left : node->right];
  }
  return node->value;
}
)C";

}  // namespace smartchurn::exporter
