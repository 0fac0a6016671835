-- One database per service on the compose PostgreSQL (each service migrates its own at start).
CREATE DATABASE triphub_auth;
CREATE DATABASE triphub_config;
CREATE DATABASE triphub_accommodation;
CREATE DATABASE triphub_payment;
CREATE DATABASE triphub_reservation;
CREATE DATABASE triphub_review;
