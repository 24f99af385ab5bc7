// The example: one returns policy, two ways customers ask about it, one unrelated question.
export const RETURNS_DOCUMENT = {
  title: 'Returns',
  text: 'You can return any item within 30 days of delivery for a full refund. Start a return from the Orders page, choose the item and print the prepaid label.',
}
export const RETURNS_QUESTIONS = [
  'How many days do I have to return something I bought?',
  'Can I return an item?',
]
export const UNRELATED_QUESTION = 'Do you sell gift cards?'
