"""Rule packs: YAML rules, their schema, the condition language and evaluation."""
