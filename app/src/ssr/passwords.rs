//! The rule for a new password: 10–128 characters, not among the passwords attackers try
//! first, and not built from the person's own name or e-mail address. zxcvbn estimates
//! how many guesses a password would take, with the person's details as extra dictionary.

use crate::domain::people::check_password_length;

/// zxcvbn's score 3: more than 10^8 guesses, "safely unguessable" for an online attack
/// that throttling already slows down.
const MIN_SCORE: u8 = 3;

/// Checks `password` for someone called `name` with address `email`. The error is the
/// sentence to show beside the field.
pub fn check_new_password(password: &str, name: &str, email: &str) -> Result<(), String> {
    check_password_length(password)?;
    let lower = password.to_lowercase();
    let local_part = email.split('@').next().unwrap_or_default().to_lowercase();
    let own_words = name
        .split(|c: char| !c.is_alphanumeric())
        .chain(local_part.split(|c: char| !c.is_alphanumeric()))
        .chain(std::iter::once(local_part.as_str()))
        .map(str::to_lowercase)
        .filter(|word| word.chars().count() >= 3)
        .collect::<Vec<_>>();
    if own_words.iter().any(|word| lower.contains(word.as_str())) {
        return Err("Don't build your password from your name or e-mail address.".into());
    }
    let inputs: Vec<&str> = own_words.iter().map(String::as_str).chain([name, email]).collect();
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if u8::from(estimate.score()) >= MIN_SCORE {
        return Ok(());
    }
    let why = estimate
        .feedback()
        .and_then(|f| f.warning())
        .map(|w| format!(" {w}"))
        .filter(|w| w.trim().len() > 1)
        .unwrap_or_default();
    Err(format!("That password is too easy to guess.{why} Try a few unrelated words together."))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: &str = "Maya Patel";
    const EMAIL: &str = "maya.patel@example.com";

    #[test]
    fn common_passwords_are_refused() {
        for common in ["password123", "1234567890", "qwertyuiop", "iloveyou12", "Password1!"] {
            assert!(check_new_password(common, NAME, EMAIL).is_err(), "{common}");
        }
    }

    #[test]
    fn passwords_from_ones_own_name_or_email_are_refused() {
        for own in ["Maya.Patel#2026", "patel-rules-ok", "mayapatel2026!x"] {
            let error = check_new_password(own, NAME, EMAIL).unwrap_err();
            assert!(error.contains("name or e-mail"), "{own}: {error}");
        }
    }

    #[test]
    fn length_is_checked_first() {
        assert_eq!(check_new_password("Zq9!", NAME, EMAIL).unwrap_err(), "Use at least 10 characters.");
        assert!(check_new_password(&"Zq9!xT".repeat(30), NAME, EMAIL).is_err());
    }

    #[test]
    fn a_long_unrelated_passphrase_is_accepted() {
        assert_eq!(check_new_password("copper kettle under violet rain", NAME, EMAIL), Ok(()));
        assert_eq!(check_new_password("Tr4ns1t-Olive-Harbour", NAME, EMAIL), Ok(()));
    }
}
