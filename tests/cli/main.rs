mod bounce_corpus;
mod render;
