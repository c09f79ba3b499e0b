// PolicyAccount: least privilege and segregation of duties over the principals of an account.
