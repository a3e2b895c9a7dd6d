"""The numbers funders ask for, from stored rows: ``helpbot report``, the staff page, the digest."""
