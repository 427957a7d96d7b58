// Fictitious French names for the demo platform (3.2.1.3–6). Common first names and surnames, no real people.
export const FIRST_NAMES = [
  "Léa", "Hugo", "Emma", "Louis", "Jade", "Gabriel", "Louise", "Raphaël", "Alice", "Arthur", "Chloé", "Jules",
  "Lina", "Adam", "Mila", "Lucas", "Rose", "Léo", "Anna", "Nathan", "Inès", "Tom", "Ambre", "Noah", "Julia",
  "Sacha", "Léna", "Ethan", "Zoé", "Paul", "Manon", "Maël", "Camille", "Timéo", "Sarah", "Nolan", "Lou", "Aaron",
  "Agathe", "Victor", "Iris", "Martin", "Nina", "Éden", "Juliette", "Marius", "Romane", "Axel", "Clara", "Mathis",
  "Yasmine", "Ibrahim", "Maryam", "Youssef", "Aya", "Mohamed", "Sofia", "Rayan", "Nour", "Ilyes",
];

export const ADULT_FIRST_NAMES = [
  "Sophie", "Nicolas", "Isabelle", "Julien", "Céline", "Thomas", "Nathalie", "Sébastien", "Aurélie", "Guillaume",
  "Sandrine", "Mathieu", "Émilie", "Frédéric", "Caroline", "Olivier", "Stéphanie", "Christophe", "Virginie", "David",
  "Karima", "Mehdi", "Fatima", "Karim", "Claire", "Antoine", "Hélène", "Vincent", "Laure", "Pierre",
];

export const LAST_NAMES = [
  "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon",
  "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont",
  "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc",
  "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin",
  "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
  "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Benali", "Nguyen", "Diallo",
  "Haddad", "Traoré", "Rodrigues", "Da Silva", "Kaya", "Cohen", "Lopez",
];
