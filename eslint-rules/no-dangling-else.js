// An `else` that reads as the outer if's but is the inner one's:
//   if (quiet) for (const r of rows) if (r.id) print(r.id);
//   else print(table);        // runs per row without an id, never when !quiet
// Reported on an if with an else that is an outer if's body without braces, directly or through
// loops and labels: braces around the outer body say which if the else belongs to.
const THROUGH = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'LabeledStatement']);

export default {
  meta: {
    type: 'problem',
    docs: { description: 'an else inside an unbraced if body belongs to the inner if: put braces around the outer body' },
    messages: { dangling: "this else belongs to the inner if, not the one before it: put the outer if's body in braces" },
    schema: [],
  },
  create(context) {
    return {
      IfStatement(node) {
        if (!node.alternate) return;
        let child = node;
        let parent = node.parent;
        while (parent && THROUGH.has(parent.type) && parent.body === child) {
          child = parent;
          parent = parent.parent;
        }
        if (parent?.type === 'IfStatement' && parent.consequent === child) context.report({ node: node.alternate, messageId: 'dangling' });
      },
    };
  },
};
